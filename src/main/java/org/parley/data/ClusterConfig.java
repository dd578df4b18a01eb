package org.parley.data;

import java.util.List;

/**
 * One physical PostgreSQL cluster: a primary, optional streaming replicas, the credentials and how many
 * connections this instance may hold to each of its servers.
 */
public record ClusterConfig(String name, DbUrl primary, List<DbUrl> replicas,
                            String user, String password, int poolSize) {

    public static final String MAIN = "main";

    public ClusterConfig {
        replicas = List.copyOf(replicas);
    }

    public String userFor(DbUrl url) {
        return url.user().orElse(user);
    }

    public String passwordFor(DbUrl url) {
        return url.password().orElse(password);
    }

    /** Never the password, whoever logs this. */
    @Override
    public String toString() {
        return "ClusterConfig[" + name + ", primary=" + (primary == null ? "embedded" : primary.display())
                + ", replicas=" + replicas.stream().map(DbUrl::display).toList() + ", user=" + user
                + ", poolSize=" + poolSize + "]";
    }
}
