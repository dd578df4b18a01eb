package org.parley;

import org.parley.cdn.StaticUpload;
import org.parley.web.Assets;
import picocli.CommandLine.Command;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code parley push-static}: the CDN half of a deploy, run once per release before the new jars serve. */
@Command(name = "push-static", mixinStandardHelpOptions = true,
        description = {"Upload this build's content-hashed static files (CSS, scripts) to the S3-compatible bucket "
                + "set by PARLEY_S3_*, skipping those already there, then exit.",
                "Point PARLEY_CDN_BASE_URL at the CDN in front of that bucket (and prefix) so pages link there."})
final class PushStaticCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    Main parent;

    @Override
    public Integer call() {
        Config config = parent.loadConfig();
        PrintWriter out = new PrintWriter(System.out, true);
        Assets assets = Assets.load(Optional.empty());
        out.printf("Uploading %d static files to %s%n", assets.hashedNames().size(), config.bucket());
        try (StaticUpload upload = StaticUpload.to(config.bucket())) {
            StaticUpload.Result result = upload.push(assets, out);
            out.printf("Done: %d uploaded (%d bytes), %d already there.%n", result.uploaded(), result.bytesUploaded(),
                    result.unchanged());
        }
        config.cdnBaseUrl().ifPresentOrElse(
                base -> out.printf("Pages link them under %s%n", base),
                () -> out.println("PARLEY_CDN_BASE_URL is not set: pages still link /assets/ on each instance."));
        return 0;
    }
}
