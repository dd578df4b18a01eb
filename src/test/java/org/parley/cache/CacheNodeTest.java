package org.parley.cache;

import org.junit.jupiter.api.Test;
import org.parley.config.ConfigException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CacheNodeTest {

    @Test
    void aListOfHostsAndPortsIsRead() {
        assertThat(CacheNode.parseList("PARLEY_MEMCACHED", "cache1:11211, 10.0.0.2:11212,[::1]:11213"))
                .containsExactly(new CacheNode("cache1", 11211), new CacheNode("10.0.0.2", 11212),
                        new CacheNode("::1", 11213));
        assertThat(CacheNode.parseList("PARLEY_MEMCACHED", " ")).isEmpty();
    }

    @Test
    void aMissingOrWrongPortIsRefusedNamingTheSetting() {
        for (String bad : new String[] {"cache1", "cache1:", "cache1:99999", "cache1:11211,", "cache 1:11211", "x"}) {
            assertThatThrownBy(() -> CacheNode.parseList("PARLEY_MEMCACHED", bad))
                    .as(bad)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("PARLEY_MEMCACHED must be host:port[,host:port…]")
                    .hasMessageEndingWith("got '" + bad.strip() + "'");
        }
    }

    @Test
    void theSameServerTwiceIsRefused() {
        assertThatThrownBy(() -> CacheNode.parseList("PARLEY_MEMCACHED", "a:1,a:1"))
                .hasMessage("PARLEY_MEMCACHED names a server twice, got 'a:1,a:1'");
    }
}
