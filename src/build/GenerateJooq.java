import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.jooq.codegen.GenerationTool;
import org.jooq.meta.jaxb.Configuration;
import org.jooq.meta.jaxb.Database;
import org.jooq.meta.jaxb.Generate;
import org.jooq.meta.jaxb.Generator;
import org.jooq.meta.jaxb.Jdbc;
import org.jooq.meta.jaxb.SchemaMappingType;
import org.jooq.meta.jaxb.Target;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Build step (run by exec-maven-plugin in generate-sources): applies the Flyway migrations in db/ to a
 * throwaway embedded PostgreSQL and generates jOOQ classes from the result.
 *
 * Why not jOOQ's DDLDatabase: it simulates PostgreSQL on H2 and mis-reads partitioning and partial
 * indexes. Why not Testcontainers: no Docker on our build machines. The real server is ~3 s.
 *
 * The shard template is generated from schema s0000 under the neutral name "shard"; at run time
 * org.parley.data.Databases maps "shard" to the schema of the logical shard being queried.
 *
 * Skips all work when db/ and this file are unchanged since the last run (hash stored beside the output).
 */
public class GenerateJooq {

    public static void main(String[] args) throws Exception {
        Path db = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Path stamp = out.resolve(".source-hash");
        String hash = sourceHash(db, Path.of("src/build/GenerateJooq.java"));
        if (Files.exists(stamp) && Files.readString(stamp).equals(hash)) {
            System.out.println("[jooq] generated classes are up to date with db/");
            return;
        }
        long started = System.nanoTime();
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            var ds = pg.getPostgresDatabase();
            Flyway.configure().dataSource(ds)
                    .schemas("main").locations("filesystem:" + db.resolve("main"))
                    .placeholders(Map.of("shard_count", "1"))
                    .load().migrate();
            Flyway.configure().dataSource(ds)
                    .schemas("s0000").locations("filesystem:" + db.resolve("shard"))
                    .placeholders(Map.of("shard_id", "0"))
                    .load().migrate();

            GenerationTool.generate(new Configuration()
                    .withJdbc(new Jdbc()
                            .withDriver("org.postgresql.Driver")
                            .withUrl(pg.getJdbcUrl("postgres", "postgres"))
                            .withUser("postgres"))
                    .withGenerator(new Generator()
                            .withDatabase(new Database()
                                    .withName("org.jooq.meta.postgres.PostgresDatabase")
                                    .withSchemata(
                                            new SchemaMappingType().withInputSchema("main"),
                                            new SchemaMappingType().withInputSchema("s0000").withOutputSchema("shard"))
                                    // partition children are an implementation detail of their parent table
                                    .withExcludes("flyway_schema_history|.*_p\\d+"))
                            .withGenerate(new Generate()
                                    .withRecords(true)
                                    .withPojos(false)
                                    .withDaos(false)
                                    .withJavaTimeTypes(true)
                                    .withGeneratedAnnotation(false))
                            .withTarget(new Target()
                                    .withPackageName("org.parley.db")
                                    .withDirectory(out.toString())
                                    .withClean(true))));
        }
        Files.writeString(stamp, hash);
        System.out.printf("[jooq] generated classes from db/ in %d ms%n", (System.nanoTime() - started) / 1_000_000);
    }

    private static String sourceHash(Path db, Path self) throws Exception {
        var digest = MessageDigest.getInstance("SHA-256");
        try (Stream<Path> files = Stream.concat(Files.walk(db), Stream.of(self))) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                digest.update(file.toString().getBytes());
                digest.update(Files.readAllBytes(file));
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
