package org.parley.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * HTTP/1.1 over a plain socket, for what java.net.http will not send (a Host header of our choosing, a
 * malformed Cookie header) and to see response headers exactly as written.
 */
public final class RawHttp {
    private RawHttp() {
    }

    /** A response: the status and every header line as sent ("Set-Cookie: …"), and the body. */
    public record Response(int status, List<String> headerLines, String body) {
        /** Values of every header named {@code name}, in order. */
        public List<String> headers(String name) {
            String prefix = name.toLowerCase(Locale.ROOT) + ":";
            return headerLines.stream()
                    .filter(line -> line.toLowerCase(Locale.ROOT).startsWith(prefix))
                    .map(line -> line.substring(prefix.length()).strip())
                    .toList();
        }
    }

    /**
     * Sends {@code method path} with the given Host and extra header lines ("Cookie: …"), and an optional
     * form body; reads the response until the server closes the connection.
     */
    public static Response send(int port, String method, String path, String host, List<String> headers, String form) {
        return sendFrom(null, port, method, path, host, headers, form);
    }

    /**
     * {@link #send} from a chosen loopback address (e.g. 127.0.0.2): to the server it is another machine, one
     * that PARLEY_TRUSTED_PROXIES=127.0.0.1/32 does not trust. {@code localAddress} null = the system's choice.
     */
    public static Response sendFrom(String localAddress, int port, String method, String path, String host,
                                    List<String> headers, String form) {
        var request = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n");
        headers.forEach(h -> request.append(h).append("\r\n"));
        byte[] body = form == null ? new byte[0] : form.getBytes(StandardCharsets.UTF_8);
        if (form != null) {
            request.append("Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ")
                    .append(body.length).append("\r\n");
        }
        request.append("\r\n");
        try (Socket socket = new Socket()) {
            if (localAddress != null) {
                socket.bind(new InetSocketAddress(localAddress, 0));
            }
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write(body);
            socket.getOutputStream().flush();
            return parse(socket.getInputStream().readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends {@code request} byte for byte (Latin-1) — a malformed request line, a header without a colon, a URI of
     * 20 000 characters — and reads the answer until the server closes the connection (or resets it, as Jetty may
     * after refusing a request it did not read to the end).
     */
    public static Response sendExactly(int port, String request) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            var received = new ByteArrayOutputStream();
            try {
                socket.getInputStream().transferTo(received);
            } catch (IOException reset) {
                // what arrived before the reset is the answer
            }
            return parse(received.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Response parse(byte[] raw) throws IOException {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new IOException("no complete response head in: " + text);
        }
        List<String> lines = new ArrayList<>(List.of(text.substring(0, end).split("\r\n")));
        int status = Integer.parseInt(lines.removeFirst().split(" ")[1]);
        var response = new Response(status, lines, "");
        byte[] body = Arrays.copyOfRange(raw, end + 4, raw.length);
        boolean chunked = response.headers("Transfer-Encoding").stream().anyMatch(v -> v.equalsIgnoreCase("chunked"));
        body = chunked ? dechunk(new ByteArrayInputStream(body)) : body;
        return new Response(status, lines, new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] dechunk(InputStream in) throws IOException {
        var out = new ByteArrayOutputStream();
        while (true) {
            var sizeLine = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("chunked body ended early");
                }
                sizeLine.append((char) c);
            }
            int size = Integer.parseInt(sizeLine.toString().strip().split(";")[0], 16);
            if (size == 0) {
                return out.toByteArray();
            }
            out.write(in.readNBytes(size));
            in.readNBytes(2); // CRLF after each chunk
        }
    }
}
