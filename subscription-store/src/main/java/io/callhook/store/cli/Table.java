package io.callhook.store.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Rows printed in aligned columns, two spaces apart. Cells are made safe for a terminal first:
 * values come from the server and from other users (URLs, headers), and a control character or a
 * bidi override in one could rewrite what the reader sees.
 */
final class Table {

    private static final int MAX_CELL = 200;

    private final List<String[]> rows = new ArrayList<>();
    private final int columns;

    /** A table whose first row is the given headers. */
    static Table withHeaders(String... headers) {
        Table table = new Table(headers.length);
        table.rows.add(headers.clone());
        return table;
    }

    /** A two-column table of names and values, without headers. */
    static Table keyValues() {
        return new Table(2);
    }

    private Table(int columns) {
        this.columns = columns;
    }

    Table row(String... cells) {
        if (cells.length != columns) {
            throw new IllegalArgumentException("expected " + columns + " cells, got " + cells.length);
        }
        rows.add(Arrays.stream(cells).map(Table::safe).toArray(String[]::new));
        return this;
    }

    void print(PrintWriter out) {
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(row[i]);
                if (i < columns - 1) {
                    line.append(" ".repeat(widths[i] - row[i].length() + 2));
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }

    /** Control and format characters escaped, long values cut. */
    static String safe(String value) {
        StringBuilder safe = new StringBuilder(value.length());
        value.codePoints().forEach(c -> {
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                safe.append(String.format("\\u%04x", c));
            } else {
                safe.appendCodePoint(c);
            }
        });
        return safe.length() > MAX_CELL ? safe.substring(0, MAX_CELL - 3) + "..." : safe.toString();
    }
}
