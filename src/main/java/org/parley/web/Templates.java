package org.parley.web;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.WebContext;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.web.servlet.JakartaServletWebApplication;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * Thymeleaf over the templates in src/main/resources/templates/ (feature folders; every page uses the fragments
 * of layout.html). Templates are parsed once and cached; text is escaped unless a template says otherwise.
 */
public final class Templates {
    private final TemplateEngine engine = new TemplateEngine();
    private final Assets assets;
    private volatile JakartaServletWebApplication application;

    /** Templates linking static files under this instance's own /assets/. */
    public Templates() {
        this(Assets.load(java.util.Optional.empty()));
    }

    /** Where pages link static files (for a page written without a template, SharedPageWriter). */
    public Assets assets() {
        return assets;
    }

    /** Templates linking static files through {@code assets} (the local path or the CDN). */
    public Templates(Assets assets) {
        this.assets = assets;
        // rendered once per comment on a thread page: no indentation in the page (CompactTemplates)
        var resolver = new CompactTemplates(Set.of("comment/item", "thread/comments"));
        resolver.setPrefix("templates/");
        resolver.setSuffix(".html");
        resolver.setTemplateMode(TemplateMode.HTML);
        resolver.setCharacterEncoding("UTF-8");
        resolver.setCacheable(true);
        engine.setTemplateResolver(resolver);
        engine.setMessageResolver(new BundleMessageResolver());
        initialiseNow(engine);
    }

    /**
     * Builds a template engine's configuration, and ICU's message formatting, now, on the thread that starts Parley.
     * Done lazily, it would happen on the first request's or mail's virtual thread, and Thymeleaf's class
     * initialisers take locks: a virtual thread waiting inside a class initialiser keeps its carrier (still so in
     * JDK 25), so a few of them at once can hold every carrier while the lock's owner waits for one. That hung the
     * whole JVM on a two-core machine when three instances' outboxes rendered their first mails side by side.
     */
    public static TemplateEngine initialiseNow(TemplateEngine engine) {
        engine.getConfiguration();
        BundleMessageResolver.message(java.util.Locale.ENGLISH, "thread.comments", 2);
        return engine;
    }

    public void render(HttpServletRequest req, HttpServletResponse resp, String template, Map<String, ?> model)
            throws IOException {
        writeHtml(resp, renderPage(req, resp, template, model));
    }

    /**
     * A whole page as its UTF-8 bytes, for a page that is cached as a whole (the shared thread page). The same
     * model as {@link #render} gives the same bytes.
     */
    public byte[] renderPage(HttpServletRequest req, HttpServletResponse resp, String template, Map<String, ?> model) {
        return engine.process(template, pageContext(req, resp, model)).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The same for a page most of whose bytes are one block of markup made beforehand, model entry {@code block}
     * (its text, or its UTF-8 bytes) put in with {@code th:utext} (the thread page's ~200 KB comment list): the
     * template renders around a marker,
     * and the block's bytes are put in its place. Thymeleaf copying the block into its output, that output
     * copied into a string, and the whole page encoded was a third of a cache miss's page render (docs/caching.md,
     * "What the miss costs now"); now the block is encoded once and copied once. Same bytes as
     * {@link #renderPage(HttpServletRequest, HttpServletResponse, String, Map)} ({@code TemplatesTest}).
     */
    public byte[] renderPage(HttpServletRequest req, HttpServletResponse resp, String template, Map<String, ?> model,
                             String block) {
        byte[] markup = switch (model.get(block)) {
            case byte[] utf8 -> utf8; // the shared list as it is kept (SharedListWriter): not decoded to be encoded
            case String text -> text.getBytes(StandardCharsets.UTF_8);
            case null, default -> null;
        };
        if (markup == null) {
            return renderPage(req, resp, template, model);
        }
        var context = pageContext(req, resp, model);
        context.setVariable(block, BLOCK_MARK);
        String around = engine.process(template, context);
        int at = around.indexOf(BLOCK_MARK);
        if (at < 0 || around.indexOf(BLOCK_MARK, at + 1) >= 0) { // not put in exactly once: nothing to splice
            Map<String, Object> asText = new java.util.HashMap<>(model);
            asText.put(block, new String(markup, StandardCharsets.UTF_8));
            return renderPage(req, resp, template, asText);
        }
        return spliced(around.substring(0, at), markup, around.substring(at + BLOCK_MARK.length()));
    }

    /** {@code head}, {@code block} (UTF-8 already) and {@code tail} as one page of UTF-8 bytes, copied once. */
    public static byte[] spliced(String head, byte[] block, String tail) {
        byte[] before = head.getBytes(StandardCharsets.UTF_8);
        byte[] after = tail.getBytes(StandardCharsets.UTF_8);
        byte[] page = java.util.Arrays.copyOf(before, before.length + block.length + after.length);
        System.arraycopy(block, 0, page, before.length, block.length);
        System.arraycopy(after, 0, page, before.length + block.length, after.length);
        return page;
    }

    /**
     * Stands for the block while the page around it renders. An HTML comment, so no text a template escapes can
     * contain it ({@code <} becomes {@code &lt;}); the page is checked to hold it exactly once anyway.
     */
    private static final String BLOCK_MARK = "<!--parley:block:7f3a-->";

    private WebContext pageContext(HttpServletRequest req, HttpServletResponse resp, Map<String, ?> model) {
        var exchange = application(req).buildExchange(req, resp);
        java.util.Locale language = Languages.of(req);
        var context = new WebContext(exchange, language);
        context.setVariables(new java.util.HashMap<>(model)); // null values are fine: th:if treats them as false
        context.setVariable("lang", language.toLanguageTag());
        context.setVariable("dir", Languages.direction(language));
        context.setVariable("requestId", RequestLogFilter.requestId(req));
        context.setVariable("assets", assets);
        return context;
    }

    /**
     * Sends an HTML page's bytes in one write with its length. Rendering to a string and encoding it once is far
     * cheaper than the servlet writer's encoding of a large page character by character (docs/caching.md,
     * "Whole pages"), and a template error then happens before anything is sent.
     */
    public static void writeHtml(HttpServletResponse resp, byte[] html) throws IOException {
        resp.setContentType("text/html; charset=utf-8");
        ServletOutputStream out;
        try {
            out = resp.getOutputStream();
        } catch (IllegalStateException writerInUse) {
            // something already took the writer (an error page after a partial answer): keep using it
            resp.getWriter().write(new String(html, StandardCharsets.UTF_8));
            return;
        }
        resp.setContentLength(html.length);
        try {
            out.write(html);
        } catch (EOFException clientGone) {
            // the visitor closed the connection mid-page (Jetty's EofException): nobody is left to tell, and the
            // servlet writer used before swallowed this too, so it is not an error to log
        }
    }

    /**
     * Sends a stored HTML page in the form the client reads best (brotli, gzip or plain), compressed when it was
     * stored rather than now.
     */
    public static void writeHtml(HttpServletRequest req, HttpServletResponse resp, Precompressed html)
            throws IOException {
        resp.setContentType("text/html; charset=utf-8");
        try {
            html.send(req, resp);
        } catch (EOFException clientGone) {
            // the visitor closed the connection mid-page, as in writeHtml above
        }
    }

    /**
     * Renders a template to a string instead of the response: for a part of a page that is cached (the comment
     * list). Links are built against this request's context path, which is the same for every request.
     */
    public String renderToString(HttpServletRequest req, HttpServletResponse resp, String template,
                                 Map<String, ?> model) {
        var exchange = application(req).buildExchange(req, resp);
        var context = new WebContext(exchange, Languages.of(req));
        context.setVariables(new java.util.HashMap<>(model));
        context.setVariable("assets", assets);
        return engine.process(template, context);
    }

    private JakartaServletWebApplication application(HttpServletRequest req) {
        JakartaServletWebApplication app = application;
        if (app == null) {
            app = JakartaServletWebApplication.buildApplication(req.getServletContext());
            application = app;
        }
        return app;
    }
}
