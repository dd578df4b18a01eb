package org.parley.cache;

import io.lettuce.core.RedisURI;
import org.junit.jupiter.api.Test;
import org.parley.config.ConfigException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedisTargetTest {
    private static final String SETTING = "PARLEY_REDIS_URL";

    @Test
    void blankMeansNoRedis() {
        assertThat(RedisTarget.parse(SETTING, "  ")).isEmpty();
    }

    @Test
    void oneServerWithPasswordDatabaseAndTls() {
        RedisTarget plain = RedisTarget.parse(SETTING, "redis://cache1").orElseThrow();
        assertThat(plain.kind()).isEqualTo(RedisTarget.Kind.SERVER);
        assertThat(plain.uris()).singleElement().satisfies(uri -> {
            assertThat(uri.getHost()).isEqualTo("cache1");
            assertThat(uri.getPort()).isEqualTo(RedisTarget.DEFAULT_PORT);
        });

        RedisTarget secured = RedisTarget.parse(SETTING, "rediss://:s3cret@cache1:6380/3").orElseThrow();
        RedisURI uri = secured.uris().getFirst();
        assertThat(uri.isSsl()).isTrue();
        assertThat(uri.getPort()).isEqualTo(6380);
        assertThat(uri.getDatabase()).isEqualTo(3);
        assertThat(new String(uri.getCredentialsProvider().resolveCredentials().block().getPassword()))
                .isEqualTo("s3cret");
        assertThat(secured.display()).isEqualTo("rediss://****@cache1:6380/3");
    }

    @Test
    void sentinelListsTheSentinelsAndNamesTheMaster() {
        RedisTarget target = RedisTarget.parse(SETTING, "redis-sentinel://s1:26379,s2,s3:26380/0#mymaster").orElseThrow();

        assertThat(target.kind()).isEqualTo(RedisTarget.Kind.SENTINEL);
        RedisURI uri = target.uris().getFirst();
        assertThat(uri.getSentinelMasterId()).isEqualTo("mymaster");
        assertThat(uri.getSentinels()).extracting(RedisURI::getHost, RedisURI::getPort)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("s1", 26379),
                        org.assertj.core.groups.Tuple.tuple("s2", RedisTarget.DEFAULT_SENTINEL_PORT),
                        org.assertj.core.groups.Tuple.tuple("s3", 26380));
    }

    @Test
    void aClusterIsGivenBySomeOfItsNodesEachWithTheCredentials() {
        RedisTarget target = RedisTarget.parse(SETTING, "rediss-cluster://:pw@n1:7000,n2:7001,[::1]:7002").orElseThrow();

        assertThat(target.kind()).isEqualTo(RedisTarget.Kind.CLUSTER);
        assertThat(target.uris()).extracting(RedisURI::getPort).containsExactly(7000, 7001, 7002);
        assertThat(target.uris()).allSatisfy(uri -> assertThat(uri.isSsl()).isTrue());
        assertThat(target.display()).isEqualTo("rediss-cluster://****@n1:7000,n2:7001,[::1]:7002");
    }

    @Test
    void eachMistakeIsNamedWithTheSettingAndNoPassword() {
        assertRefused("memcached://cache1:11211", "not a redis URL");
        assertRefused("redis://", "a host is missing");
        assertRefused("redis://a:6379,b:6379", "one server only; several are Sentinel's or a Cluster's");
        assertRefused("redis://cache1:6379/x", "the path is a database number, like /0");
        assertRefused("redis://cache1#mymaster", "#master belongs to a redis-sentinel:// URL");
        assertRefused("redis-sentinel://:pw@s1:26379", "a Sentinel URL names its master after #, like #mymaster");
        assertRefused("redis-cluster://n1:7000/1", "a Redis Cluster has database 0 only");
        assertRefused("redis://:pw@cache 1:6379", "'cache 1:6379' is not host[:port] with a port 1-65535");
    }

    private static void assertRefused(String url, String reason) {
        assertThatThrownBy(() -> RedisTarget.parse(SETTING, url))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(SETTING + " must be redis://")
                .hasMessageEndingWith(": " + reason)
                .hasMessageNotContaining("pw@");
    }
}
