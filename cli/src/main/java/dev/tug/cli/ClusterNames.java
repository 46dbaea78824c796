package dev.tug.cli;

/** The cluster a command is about: the NAME argument or --name, not two different ones. */
final class ClusterNames {
    private ClusterNames() {
    }

    static String pick(String positional, String flag) {
        if (positional != null && flag != null && !positional.equals(flag)) {
            throw new UserException("the NAME argument (" + positional + ") and --name (" + flag
                    + ") differ; give one of them");
        }
        String name = positional != null ? positional : flag;
        if (name == null) {
            throw new UserException("which cluster? give its NAME (or --name NAME); `tug get clusters` lists them");
        }
        return valid(name);
    }

    /** The named cluster, or the only one in the store when no name is given. */
    static String resolve(dev.tug.state.ClusterRepository repository, String name, String whenMissing) {
        if (name != null) {
            return valid(name);
        }
        java.util.List<String> names = repository.clusterNames();
        if (names.size() == 1) {
            return names.get(0);
        }
        throw new UserException(whenMissing + (names.isEmpty() ? "; there are no clusters in "
                + repository.store().url() : " (clusters: " + String.join(", ", names) + ")"));
    }

    static String valid(String name) {
        String problem = dev.tug.model.Validator.nameProblem(name);
        if (problem != null) {
            throw new UserException(problem);
        }
        return name;
    }
}
