package io.callhook.store.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TableTest {

    private static String print(Table table) {
        StringWriter out = new StringWriter();
        table.print(new PrintWriter(out));
        return out.toString();
    }

    @Test
    void alignsColumnsTwoSpacesApartWithoutTrailingSpace() {
        Table table = Table.withHeaders("ID", "NAME", "N").row("a-long-id", "x", "1").row("b", "longer name", "");

        assertThat(print(table)).isEqualTo("""
                ID         NAME         N
                a-long-id  x            1
                b          longer name
                """);
    }

    @Test
    void escapesControlAndBidiCharacters() {
        assertThat(Table.safe("a\nb\u001b[2Jc\u202ed")).isEqualTo("a\\u000ab\\u001b[2Jc\\u202ed");
        assertThat(Table.safe("plain ünïcode")).isEqualTo("plain ünïcode");
    }

    @Test
    void cutsVeryLongCells() {
        assertThat(Table.safe("x".repeat(500))).hasSize(200).endsWith("...");
    }
}
