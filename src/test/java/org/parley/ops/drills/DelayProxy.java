package org.parley.ops.drills;

import org.parley.testing.FreePort;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

/**
 * A TCP proxy on loopback that can delay what passes through it, for the slow-network drill: each chunk read
 * in either direction is held {@link #delay} before it is written on. {@code tc netem} on {@code lo} would slow
 * visitors and HAProxy as well, and needs root; this slows only Parley's connections to one PostgreSQL server.
 */
final class DelayProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int target;
    private volatile Duration delay = Duration.ZERO;

    private DelayProxy(int target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(FreePort.find(), 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("delay-proxy-" + server.getLocalPort()).start(this::accept);
    }

    /** A proxy to 127.0.0.1:{@code target}, passing everything on at once until {@link #delay} is set. */
    static DelayProxy to(int target) throws IOException {
        return new DelayProxy(target);
    }

    int port() {
        return server.getLocalPort();
    }

    void delay(Duration delay) {
        this.delay = delay;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream;
                try {
                    upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                } catch (IOException e) { // the server is down: the client sees a closed connection, as it would
                    client.close();
                    continue;
                }
                // PostgreSQL's driver and server send without Nagle's delay; a proxy that kept it would hold back
                // the second write of a round trip until the first is acknowledged, up to 40 ms of delayed ACK per
                // round trip (the load target's posts took 53 ms at p50 through it, 7 ms without it)
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                Thread.ofVirtual().start(() -> pump(client, upstream));
                Thread.ofVirtual().start(() -> pump(upstream, client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                pause(delay);
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side closed: close the other, as a cut connection would
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void pause(Duration delay) {
        if (delay.isZero()) {
            return;
        }
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
