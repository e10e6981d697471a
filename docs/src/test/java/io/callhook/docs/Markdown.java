package io.callhook.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of a guide that must be the same text as a file or as each other: a fenced block
 * right after {@code <!-- include: path -->} shows that file of the project, whole; a fenced
 * block right after {@code <!-- run: name -->} is a command the tests run as written.
 */
final class Markdown {

    /** A marked fenced block: the marker's kind ("include" or "run"), its argument, the block's text. */
    record Block(String kind, String argument, String text) {
    }

    private static final Pattern MARKED = Pattern.compile(
            "<!-- (include|run): (\\S+) -->\\n(`{3,})[^\\n]*\\n(.*?)\\n?\\3\\n", Pattern.DOTALL);

    private Markdown() {
    }

    static List<Block> blocks(String markdown) {
        List<Block> blocks = new ArrayList<>();
        Matcher matcher = MARKED.matcher(markdown);
        while (matcher.find()) {
            blocks.add(new Block(matcher.group(1), matcher.group(2), matcher.group(4)));
        }
        return blocks;
    }

    static List<Block> included(String markdown) {
        return blocks(markdown).stream().filter(block -> block.kind().equals("include")).toList();
    }

    /** The command block marked {@code <!-- run: name -->}; fails when there is not exactly one. */
    static String command(String markdown, String name) {
        List<Block> runs = blocks(markdown).stream()
                .filter(block -> block.kind().equals("run") && block.argument().equals(name)).toList();
        if (runs.size() != 1) {
            throw new IllegalStateException("expected one block marked '<!-- run: " + name + " -->', found " + runs.size());
        }
        return runs.get(0).text();
    }
}
