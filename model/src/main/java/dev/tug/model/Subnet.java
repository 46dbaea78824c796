package dev.tug.model;

/** One subnet of the cluster network, in one zone. */
public class Subnet {
    public static final String PUBLIC = "Public";
    public static final String PRIVATE = "Private";

    public String name;
    public String zone;
    public String cidr;
    /** Public or Private. */
    public String type;

    public Subnet() {
    }

    public Subnet(String name, String zone, String cidr, String type) {
        this.name = name;
        this.zone = zone;
        this.cidr = cidr;
        this.type = type;
    }
}
