package dev.verifarm.cli.render;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** Rows printed in columns as wide as their widest cell, the last column left ragged. */
public final class Table {
    private final List<List<String>> rows = new ArrayList<>();

    public Table(String... header) {
        rows.add(List.of(header));
    }

    public void add(String... cells) {
        rows.add(List.of(cells));
    }

    public void print(PrintStream out) {
        int columns = rows.get(0).size();
        int[] widths = new int[columns];
        for (List<String> row : rows) {
            for (int c = 0; c < columns - 1; c++) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                line.append(c < columns - 1 ? String.format("%-" + widths[c] + "s  ", row.get(c)) : row.get(c));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
