package dev.tug.templates;

import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import freemarker.template.TemplateMethodModelEx;
import freemarker.template.TemplateModelException;
import freemarker.template.utility.DeepUnwrap;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Renders the templates under {@code dev/tug/templates/} on the classpath. Undefined values fail the
 * render instead of printing nothing, so a template and its model cannot silently drift apart.
 */
public final class Templates {
    private static final Configuration CONFIGURATION = configuration();

    private Templates() {
    }

    /** Renders e.g. {@code machine/supervise.sh} ({@code .ftl} is added) with the given values. */
    public static String render(String name, Map<String, ?> model) {
        try {
            Template template = CONFIGURATION.getTemplate(name + ".ftl");
            StringWriter out = new StringWriter();
            template.process(model, out);
            return out.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read template " + name, e);
        } catch (TemplateException e) {
            throw new IllegalArgumentException("cannot render template " + name + ": " + e.getMessage(), e);
        }
    }

    /** A word quoted for POSIX sh: safe whatever it holds. */
    public static String shellQuote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    private static Configuration configuration() {
        Configuration configuration = new Configuration(Configuration.VERSION_2_3_34);
        configuration.setClassForTemplateLoading(Templates.class, "/dev/tug/templates");
        configuration.setDefaultEncoding("UTF-8");
        configuration.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        configuration.setLogTemplateExceptions(false);
        configuration.setWrapUncheckedExceptions(true);
        configuration.setFallbackOnNullLoopVariable(false);
        // ${sh(value)} in scripts: every interpolated path or argument is quoted
        configuration.setSharedVariable("sh", (TemplateMethodModelEx) Templates::quoteArgument);
        return configuration;
    }

    private static Object quoteArgument(List<?> arguments) throws TemplateModelException {
        if (arguments.size() != 1) {
            throw new TemplateModelException("sh(value) takes one argument");
        }
        Object value = DeepUnwrap.unwrap((freemarker.template.TemplateModel) arguments.get(0));
        return shellQuote(String.valueOf(value));
    }
}
