package org.parley.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Identicons drawn here rather than fetched from an avatar service: a page of comments must not tell a third
 * party who read it, and must not wait on one. A person's avatar is addressed by a key derived from their email
 * (or, for a guest without one, their name), so the same person looks the same on every site of this Parley.
 *
 * The key is a hash, not the address, but an unsalted hash of an email can be confirmed by anyone who already
 * knows the email; it hides addresses from a casual reader, not from a determined one.
 *
 * The picture is a 5×5 grid mirrored left to right (15 cells from 15 bits of the key) in one colour whose hue
 * comes from the key. Saturation and lightness are fixed at 50 % and 35 %: every hue then has a contrast of at
 * least 3.4:1 against the light tile (WCAG asks 3:1 for graphics), and the tile itself stands out on a dark page.
 */
public final class Avatars {
    /** 16 lowercase hex digits: 64 bits, plenty to keep two people's avatars apart on one page. */
    public static final Pattern KEY = Pattern.compile("[0-9a-f]{16}");
    private static final int KEY_BYTES = 8;
    private static final String GRAVATAR_PREFIX = "g";
    private static final int GRID = 5;
    private static final int HALF = (GRID + 1) / 2; // columns 0..2 are drawn, 3..4 mirror 1..0
    private static final int HUE_SHIFT = 16; // hue bits sit above the 15 cell bits
    private static final String SATURATION = "50%";
    private static final String LIGHTNESS = "35%";
    private static final String TILE = "#f2f2f2";

    private Avatars() {
    }

    /** The avatar key for a person: from the trimmed, lower-cased email, else from the display name. */
    /**
     * The avatar key of a comment on a site that shows Gravatar pictures: "g" and the full SHA-256 of the trimmed,
     * lower-cased address (the hash Gravatar accepts). Only for such sites: the hash of an address is something a
     * third party can match.
     */
    public static String gravatarKeyFor(String email) {
        byte[] digest = sha256().digest(email.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
        return GRAVATAR_PREFIX + HexFormat.of().formatHex(digest);
    }

    /** The Gravatar hash in an avatar key, or null for a local identicon's key. */
    public static String gravatarHash(String key) {
        return key != null && key.length() == 65 && key.startsWith(GRAVATAR_PREFIX) ? key.substring(1) : null;
    }

    public static String keyFor(String emailOrNull, String displayName) {
        String source = emailOrNull == null || emailOrNull.isBlank()
                ? "name:" + displayName
                : emailOrNull.trim().toLowerCase(Locale.ROOT);
        byte[] digest = sha256().digest(source.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, KEY_BYTES);
    }

    /**
     * The identicon for a key as a standalone SVG document (about 400 bytes).
     *
     * @throws IllegalArgumentException when the key is not 16 lowercase hex digits
     */
    public static String svg(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("an avatar key is 16 lowercase hex digits, got " + key);
        }
        long bits = Long.parseUnsignedLong(key, 16);
        long hue = Long.remainderUnsigned(bits >>> HUE_SHIFT, 360);
        StringBuilder path = new StringBuilder();
        boolean anyCell = false;
        for (int row = 0; row < GRID; row++) {
            for (int col = 0; col < HALF; col++) {
                if (((bits >>> (row * HALF + col)) & 1) == 1) {
                    cell(path, col, row);
                    anyCell = true;
                }
            }
        }
        if (!anyCell) { // one key in 32 768: draw the centre rather than an empty tile
            cell(path, GRID / 2, GRID / 2);
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 5 5\" shape-rendering=\"crispEdges\""
                + " role=\"img\">"
                + "<rect width=\"5\" height=\"5\" fill=\"" + TILE + "\"/>"
                + "<path fill=\"hsl(" + hue + "," + SATURATION + "," + LIGHTNESS + ")\" d=\"" + path + "\"/>"
                + "</svg>";
    }

    /** Adds the unit square at (col, row) and, off the centre column, its mirror image. */
    private static void cell(StringBuilder path, int col, int row) {
        square(path, col, row);
        int mirror = GRID - 1 - col;
        if (mirror != col) {
            square(path, mirror, row);
        }
    }

    private static void square(StringBuilder path, int x, int y) {
        path.append('M').append(x).append(' ').append(y).append("h1v1h-1z");
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
