package dev.tug.controlplane.admission;

import io.fabric8.kubernetes.api.model.Quantity;

import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes resource quantities ({@code 500m}, {@code 1.5Gi}, {@code 1e3}). fabric8 accepts any
 * string, so the syntax Kubernetes enforces while decoding is checked here, and quantities are
 * compared by value ({@code 1Gi > 1G}, {@code 0.5 == 500m}).
 */
public final class Quantities {

    /** Kubernetes' own wording for a quantity it cannot parse. */
    static final String SYNTAX_MESSAGE =
            "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

    private static final Pattern SYNTAX = Pattern.compile(
            "([+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?");

    private static final Map<String, BigDecimal> SUFFIXES = Map.ofEntries(
            Map.entry("Ki", BigDecimal.valueOf(2).pow(10)), Map.entry("Mi", BigDecimal.valueOf(2).pow(20)),
            Map.entry("Gi", BigDecimal.valueOf(2).pow(30)), Map.entry("Ti", BigDecimal.valueOf(2).pow(40)),
            Map.entry("Pi", BigDecimal.valueOf(2).pow(50)), Map.entry("Ei", BigDecimal.valueOf(2).pow(60)),
            Map.entry("n", new BigDecimal("1e-9")), Map.entry("u", new BigDecimal("1e-6")), Map.entry("m", new BigDecimal("1e-3")),
            Map.entry("k", new BigDecimal("1e3")), Map.entry("M", new BigDecimal("1e6")), Map.entry("G", new BigDecimal("1e9")),
            Map.entry("T", new BigDecimal("1e12")), Map.entry("P", new BigDecimal("1e15")), Map.entry("E", new BigDecimal("1e18")));

    private Quantities() {
    }

    /** The quantity as written, e.g. {@code 500m}. */
    public static String text(Quantity quantity) {
        return Metadata.nullToEmpty(quantity.getAmount()) + Metadata.nullToEmpty(quantity.getFormat());
    }

    public static boolean isValid(Quantity quantity) {
        return quantity != null && SYNTAX.matcher(text(quantity)).matches();
    }

    /** The value in base units (cores, bytes); throws IllegalArgumentException when not valid. */
    public static BigDecimal value(Quantity quantity) {
        Matcher m = SYNTAX.matcher(quantity == null ? "" : text(quantity));
        if (!m.matches()) {
            throw new IllegalArgumentException(SYNTAX_MESSAGE);
        }
        BigDecimal number = new BigDecimal(m.group(1).endsWith(".") ? m.group(1) + "0" : m.group(1));
        String suffix = m.group(2);
        if (suffix == null) {
            return number;
        }
        if (suffix.startsWith("e") || suffix.startsWith("E")) {
            return number.scaleByPowerOfTen(Integer.parseInt(suffix.substring(1)));
        }
        return number.multiply(SUFFIXES.get(suffix));
    }
}
