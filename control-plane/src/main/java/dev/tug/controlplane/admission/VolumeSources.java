package dev.tug.controlplane.admission;

import io.fabric8.kubernetes.api.model.Volume;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The kinds of source a {@link Volume} can name; exactly one must be set. */
final class VolumeSources {

    private static final Map<String, Function<Volume, Object>> SOURCES = new LinkedHashMap<>();

    static {
        SOURCES.put("hostPath", Volume::getHostPath);
        SOURCES.put("emptyDir", Volume::getEmptyDir);
        SOURCES.put("gcePersistentDisk", Volume::getGcePersistentDisk);
        SOURCES.put("awsElasticBlockStore", Volume::getAwsElasticBlockStore);
        SOURCES.put("gitRepo", Volume::getGitRepo);
        SOURCES.put("secret", Volume::getSecret);
        SOURCES.put("nfs", Volume::getNfs);
        SOURCES.put("iscsi", Volume::getIscsi);
        SOURCES.put("glusterfs", Volume::getGlusterfs);
        SOURCES.put("persistentVolumeClaim", Volume::getPersistentVolumeClaim);
        SOURCES.put("rbd", Volume::getRbd);
        SOURCES.put("flexVolume", Volume::getFlexVolume);
        SOURCES.put("cinder", Volume::getCinder);
        SOURCES.put("cephfs", Volume::getCephfs);
        SOURCES.put("flocker", Volume::getFlocker);
        SOURCES.put("downwardAPI", Volume::getDownwardAPI);
        SOURCES.put("fc", Volume::getFc);
        SOURCES.put("azureFile", Volume::getAzureFile);
        SOURCES.put("configMap", Volume::getConfigMap);
        SOURCES.put("vsphereVolume", Volume::getVsphereVolume);
        SOURCES.put("quobyte", Volume::getQuobyte);
        SOURCES.put("azureDisk", Volume::getAzureDisk);
        SOURCES.put("photonPersistentDisk", Volume::getPhotonPersistentDisk);
        SOURCES.put("projected", Volume::getProjected);
        SOURCES.put("portworxVolume", Volume::getPortworxVolume);
        SOURCES.put("scaleIO", Volume::getScaleIO);
        SOURCES.put("storageos", Volume::getStorageos);
        SOURCES.put("csi", Volume::getCsi);
        SOURCES.put("ephemeral", Volume::getEphemeral);
        SOURCES.put("image", Volume::getImage);
    }

    private VolumeSources() {
    }

    /** The JSON names of the sources this volume sets, in Kubernetes' order. */
    static List<String> present(Volume volume) {
        return SOURCES.entrySet().stream().filter(e -> e.getValue().apply(volume) != null).map(Map.Entry::getKey).toList();
    }
}
