package org.parley.web;

import org.thymeleaf.IEngineConfiguration;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;
import org.thymeleaf.templateresource.ITemplateResource;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Templates from the class path, some of them compacted as they are read: their indentation and line breaks go,
 * so a template stays readable while what it renders many times a page carries no whitespace. Thymeleaf keeps
 * a template's whitespace as written, and in a comment list that was about 400 bytes a comment, a fifth of the
 * 200-comment page (issue 17).
 *
 * <p>Only for templates where that whitespace means nothing: a line break between two tags is dropped (where
 * elements sit side by side the CSS spaces them: flex rows), any other line break with its indentation becomes
 * one space. Never for a template with {@code <pre>} or {@code <textarea>} content, or text whose line breaks
 * matter (mail).
 */
final class CompactTemplates extends ClassLoaderTemplateResolver {
    private static final Pattern BETWEEN_TAGS = Pattern.compile(">[ \\t]*\\R\\s*<");
    private static final Pattern LINE_BREAK = Pattern.compile("[ \\t]*\\R\\s*");

    private final Set<String> compacted;

    /** @param compacted the names of the templates to compact ({@code comment/item}) */
    CompactTemplates(Set<String> compacted) {
        this.compacted = Set.copyOf(compacted);
    }

    @Override
    protected ITemplateResource computeTemplateResource(IEngineConfiguration configuration, String ownerTemplate,
                                                        String template, String resourceName,
                                                        String characterEncoding,
                                                        Map<String, Object> templateResolutionAttributes) {
        ITemplateResource resource = super.computeTemplateResource(configuration, ownerTemplate, template,
                resourceName, characterEncoding, templateResolutionAttributes);
        return compacted.contains(template) ? new Compacted(resource) : resource;
    }

    static String compact(String source) {
        return LINE_BREAK.matcher(BETWEEN_TAGS.matcher(source).replaceAll("><")).replaceAll(" ").strip();
    }

    private record Compacted(ITemplateResource resource) implements ITemplateResource {
        @Override
        public String getDescription() {
            return resource.getDescription();
        }

        @Override
        public String getBaseName() {
            return resource.getBaseName();
        }

        @Override
        public boolean exists() {
            return resource.exists();
        }

        @Override
        public Reader reader() throws IOException {
            try (Reader in = resource.reader()) {
                StringBuilder text = new StringBuilder();
                char[] buffer = new char[8192];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    text.append(buffer, 0, n);
                }
                return new StringReader(compact(text.toString()));
            }
        }

        @Override
        public ITemplateResource relative(String relativeLocation) {
            return resource.relative(relativeLocation);
        }
    }
}
