package org.parley.thread;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ThreadUrlsTest {

    @Test
    void theSiteOfAnEmbedUrlIsReadBackFromIt() {
        assertThat(ThreadUrls.embedSite("/embed/default?key=post-42&sort=oldest")).hasValue("default");
        assertThat(ThreadUrls.embedSite("/embed/my%20blog?key=a#comment-1")).hasValue("my blog");
        assertThat(ThreadUrls.embedSite(ThreadUrls.embed("a/b", new ThreadUrls.EmbedParams("k", null, null, null))))
                .hasValue("a/b");
    }

    @Test
    void otherUrlsNameNoEmbedSite() {
        assertThat(ThreadUrls.embedSite("/t/default/post-42")).isEmpty();
        assertThat(ThreadUrls.embedSite("/embed/?key=a")).isEmpty();
        assertThat(ThreadUrls.embedSite("/embed/%zz?key=a")).isEmpty();
        assertThat(ThreadUrls.embedSite(null)).isEmpty();
    }
}
