package dev.tug.bootstrap;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where tug keeps its files on a machine: /opt/tug, /etc/tug, /var/lib/tug and /var/log/tug, under {@code root}
 * ("" on a real machine; a directory of its own for each of the local cloud's machines).
 */
public record MachinePaths(String root) {

    public String opt() {
        return root + "/opt/tug";
    }

    public String jar() {
        return opt() + "/tug.jar";
    }

    public String bin() {
        return opt() + "/bin";
    }

    public String etc() {
        return root + "/etc/tug";
    }

    public String pki() {
        return etc() + "/pki";
    }

    public String lib() {
        return root + "/var/lib/tug";
    }

    public String run() {
        return lib() + "/run";
    }

    public String log() {
        return root + "/var/log/tug";
    }

    public String launcher(String component) {
        return bin() + "/tug-" + component;
    }

    public static String unit(String component) {
        return "/etc/systemd/system/tug-" + component + ".service";
    }

    /** The paths as the templates see them. */
    public Map<String, String> model() {
        Map<String, String> model = new LinkedHashMap<>();
        model.put("root", root);
        model.put("opt", opt());
        model.put("jar", jar());
        model.put("bin", bin());
        model.put("etc", etc());
        model.put("pki", pki());
        model.put("lib", lib());
        model.put("run", run());
        model.put("log", log());
        return model;
    }
}
