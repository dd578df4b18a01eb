package org.parley.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.util.List;
import java.util.Optional;

/**
 * This request belongs to a site's embed: its answer is shown inside a host page's iframe, so every response to
 * it must let that site's origins frame it, or the browser shows a blocked frame instead. Marked once per
 * request, as soon as the site is known (discussion.EmbedFraming, before any handler runs); marking sets the
 * frame-ancestors at once, so a 200, a 304, a form shown again with its error and a redirect all carry it, and
 * {@link ErrorPages} applies it again to the error pages it renders (and renders them for the frame).
 *
 * @param ancestors  the origins that may frame the response (the site's embed origins)
 * @param returnUrl  the embed page the visitor came from, when a page reached from the embed names it
 *                   ({@code return=}, already checked to be our own); null on the embed itself
 */
public record EmbedFrame(List<String> ancestors, String returnUrl) {
    private static final String ATTRIBUTE = EmbedFrame.class.getName();

    public EmbedFrame {
        ancestors = List.copyOf(ancestors);
    }

    /** Records the frame on the request and sets the response's frame-ancestors to it. */
    public static void mark(HttpServletRequest req, HttpServletResponse resp, EmbedFrame frame) {
        req.setAttribute(ATTRIBUTE, frame);
        frame.applyTo(resp);
    }

    /** The frame this request was marked with, if it belongs to an embed. */
    public static Optional<EmbedFrame> of(HttpServletRequest req) {
        return req.getAttribute(ATTRIBUTE) instanceof EmbedFrame frame ? Optional.of(frame) : Optional.empty();
    }

    /** Sets the response's frame-ancestors to this frame's (again, after something may have reset the headers). */
    public void applyTo(HttpServletResponse resp) {
        SecurityHeaders.allowFramingBy(resp, ancestors);
    }
}
