package dev.tug.cloud.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.UserIdGroupPair;

/**
 * One allowed inbound flow, written as the report shows it: {@code tcp 22 from 0.0.0.0/0},
 * {@code tcp 30000-32767 from 10.0.0.0/8}, {@code all from sg-0123}.
 */
record IngressRule(String protocol, int fromPort, int toPort, String source) {
    private static final Pattern TEXT = Pattern.compile("^(all|tcp|udp) (?:(\\d+)(?:-(\\d+))? )?from (\\S+)$");

    static IngressRule all(String source) {
        return new IngressRule("all", -1, -1, source);
    }

    static IngressRule tcp(int from, int to, String source) {
        return new IngressRule("tcp", from, to, source);
    }

    static IngressRule parse(String text) {
        Matcher m = TEXT.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not an ingress rule: " + text);
        }
        int from = m.group(2) == null ? -1 : Integer.parseInt(m.group(2));
        int to = m.group(3) == null ? from : Integer.parseInt(m.group(3));
        return new IngressRule(m.group(1), from, to, m.group(4));
    }

    /** AWS groups rules by protocol and ports; each source becomes a rule of its own. */
    static List<IngressRule> of(IpPermission permission) {
        String protocol = "-1".equals(permission.ipProtocol()) ? "all" : permission.ipProtocol();
        int from = protocol.equals("all") || permission.fromPort() == null ? -1 : permission.fromPort();
        int to = protocol.equals("all") || permission.toPort() == null ? -1 : permission.toPort();
        List<IngressRule> rules = new ArrayList<>();
        permission.ipRanges().forEach(range -> rules.add(new IngressRule(protocol, from, to, range.cidrIp())));
        permission.userIdGroupPairs().forEach(pair -> rules.add(new IngressRule(protocol, from, to, pair.groupId())));
        return rules;
    }

    IpPermission permission() {
        IpPermission.Builder builder = IpPermission.builder().ipProtocol(protocol.equals("all") ? "-1" : protocol);
        if (!protocol.equals("all")) {
            builder.fromPort(fromPort).toPort(toPort);
        }
        if (source.startsWith("sg-")) {
            builder.userIdGroupPairs(UserIdGroupPair.builder().groupId(source).build());
        } else {
            builder.ipRanges(IpRange.builder().cidrIp(source).build());
        }
        return builder.build();
    }

    @Override
    public String toString() {
        String ports = protocol.equals("all") ? "" : (fromPort == toPort ? fromPort + " " : fromPort + "-" + toPort + " ");
        return protocol + " " + ports + "from " + source;
    }
}
