import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Test driver: runs the guide's Java snippet on a captured webhook (compiled together with it). */
public final class CheckWebhook {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Map<String, String> headers = new HashMap<>();
        for (String line : Files.readAllLines(dir.resolve("headers"), StandardCharsets.UTF_8)) {
            if (!line.isEmpty()) {
                int colon = line.indexOf(": ");
                headers.put(line.substring(0, colon), line.substring(colon + 2));
            }
        }
        try {
            String id = WebhookVerifier.verify(args[1], Files.readString(dir.resolve("method")),
                    Files.readString(dir.resolve("query")), Files.readAllBytes(dir.resolve("body")), headers);
            System.out.println("valid " + id);
        } catch (SecurityException e) {
            System.out.println("invalid: " + e.getMessage());
            System.exit(1);
        }
    }
}
