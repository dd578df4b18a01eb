package org.parley.live;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.discussion.CommentThread;
import org.parley.testing.EventStream;
import org.parley.testing.TestServer;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live stream as a client reads it, over real HTTP: a write to the thread is announced with its new version
 * (versions only go forward, ending at the newest), heartbeats keep it open, an instance with no room says "full" at
 * once, a bad address is refused, and stopping the server ends the streams instead of waiting for them.
 */
class LiveIT {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    @Test
    void aWriteIsAnnouncedWithItsVersionAndHeartbeatsKeepTheStreamOpen() throws Exception {
        CommentThread thread = server.thread("live-announced");
        try (EventStream stream = EventStream.open(server.base() + "/live/" + thread.id() + "?v=" + thread.version())) {
            assertThat(stream.response().headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
            assertThat(stream.response().headers().firstValue("Cache-Control")).hasValue("no-store");
            assertThat(stream.next()).startsWith("retry: ");
            assertThat(server.parley().live().watchers(thread.id())).isEqualTo(1);

            for (int i = 0; i < 3; i++) {
                server.post(thread, null, "Live " + i);
            }
            long now = server.thread("live-announced").version();
            String newest = "data: {\"version\":" + now + "}";
            // The poller may look between two of the writes on a slow machine, and announce an older version
            // first: here the newest must arrive and versions only go forward. That writes between two looks are
            // one event is WatcherTest's, where no clock decides it.
            while (!stream.awaitLine("data: ", Duration.ofSeconds(10)).equals(newest)) {
                // an intermediate version; the next one is newer
            }
            assertThat(stream.awaitLine(": ping", LivePage.HEARTBEAT.plusSeconds(3))).isEqualTo(": ping");
            List<Long> announced = stream.seen().stream().filter(line -> line.startsWith("data: "))
                    .map(line -> Long.parseLong(line.replaceAll("\\D", ""))).toList();
            assertThat(announced).as("versions only go forward, ending at the newest, then only heartbeats")
                    .hasSizeBetween(1, 3).isSorted().doesNotHaveDuplicates().last().isEqualTo(now);
        }
    }

    @Test
    void aPageOlderThanTheThreadHearsAtOnce() throws Exception {
        CommentThread thread = server.thread("live-late");
        server.post(thread, null, "Written before the stream opened");
        long now = server.thread("live-late").version();
        try (EventStream stream = EventStream.open(server.base() + "/live/" + thread.id() + "?v=" + thread.version())) {
            assertThat(stream.awaitLine("data: ", Duration.ofSeconds(10))).isEqualTo("data: {\"version\":" + now + "}");
        }
    }

    @Test
    void anInstanceWithoutRoomSaysFullAndTheStreamEnds() throws Exception {
        try (TestServer small = TestServer.start(Map.of("PARLEY_LIVE_MAX_CONNECTIONS", "1"))) {
            CommentThread thread = small.thread("live-full");
            String url = small.base() + "/live/" + thread.id() + "?v=" + thread.version();
            try (EventStream first = EventStream.open(url); EventStream second = EventStream.open(url)) {
                assertThat(first.next()).startsWith("retry: 3000");
                assertThat(second.awaitLine("event: ", Duration.ofSeconds(10))).isEqualTo("event: full");
                assertThat(second.awaitEnd(Duration.ofSeconds(5))).as("the refused stream ends").isTrue();
                assertThat(small.parley().live().connections()).isEqualTo(1);
            }
        }
    }

    @Test
    void stoppingTheServerEndsItsStreams() throws Exception {
        try (TestServer stopping = TestServer.start(Map.of())) {
            CommentThread thread = stopping.thread("live-stop");
            try (EventStream stream = EventStream.open(stopping.base() + "/live/" + thread.id() + "?v=" + thread.version())) {
                stream.next();
                stopping.close();
                assertThat(stream.awaitEnd(Duration.ofSeconds(10))).as("the stream ended with the server").isTrue();
            }
        }
    }

    @Test
    void aBadAddressIsRefusedClearly() {
        var client = server.client();
        assertThat(client.get("/live/abc").statusCode()).isEqualTo(404);
        assertThat(client.get("/live/" + server.thread("live-bad").id() + "?v=x").statusCode()).isEqualTo(400);
    }
}
