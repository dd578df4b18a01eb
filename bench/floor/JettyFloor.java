import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The floor under Parley's cached page: Jetty 12 as Parley sets it up (virtual threads, one HTTP/1.1 connector on
 * loopback, a servlet context) answering every request with the same bytes from memory, and doing nothing else —
 * no filter, no cache read, no header but the length and type. Whatever Parley adds to a stored page costs on top
 * of this, so bench/run's row for it says how much of the gap to nginx is the servlet container's.
 *
 * <p>Run from the jar's classpath (Java's source launcher compiles this file; nothing of it ships in the jar):
 * {@code java -cp target/parley.jar bench/floor/JettyFloor.java PORT FILE}
 */
public final class JettyFloor {
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: java -cp parley.jar bench/floor/JettyFloor.java PORT FILE");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        byte[] body = Files.readAllBytes(Path.of(args[1]));

        Server server = new Server(new VirtualThreadPool(100_000));
        var http = new HttpConfiguration();
        http.setSendServerVersion(false);
        var connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        var context = new ServletContextHandler("/", ServletContextHandler.NO_SESSIONS);
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.setContentType("text/html;charset=utf-8");
                resp.setContentLength(body.length);
                resp.getOutputStream().write(body);
            }
        }), "/*");
        server.setHandler(context);
        server.start();
        System.out.println("jetty floor on 127.0.0.1:" + port + ", " + body.length + " bytes");
        server.join();
    }
}
