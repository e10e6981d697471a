package io.callhook.model;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * Checks a schema against its earlier versions the way Kafka consumers and producers meet them:
 * a new reader must read every old writer's data (backward: new fields need defaults) and an old
 * reader must read the new writer's data (forward: removed fields needed defaults). Both, against
 * every earlier version, i.e. FULL_TRANSITIVE.
 */
final class SchemaEvolution {

    private SchemaEvolution() {
    }

    /** What breaks, one line each; empty when {@code current} may replace every version in {@code history}. */
    static List<String> problems(String name, List<Schema> history, Schema current) {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < history.size(); i++) {
            String version = name + " v" + (i + 1);
            describe(problems, "new reader cannot read data written with " + version,
                    SchemaCompatibility.checkReaderWriterCompatibility(current, history.get(i)));
            describe(problems, "readers on " + version + " cannot read data written with the new schema",
                    SchemaCompatibility.checkReaderWriterCompatibility(history.get(i), current));
        }
        return problems;
    }

    private static void describe(List<String> problems, String what, SchemaPairCompatibility result) {
        for (Incompatibility incompatibility : result.getResult().getIncompatibilities()) {
            problems.add(what + ": " + incompatibility.getType() + " at " + incompatibility.getLocation()
                    + " (" + incompatibility.getMessage() + ")");
        }
    }
}
