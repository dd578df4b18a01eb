package org.parley.disqus;

/**
 * The file is not a readable Disqus export (not XML, cut short, not {@code <disqus>}), with where it broke, so the
 * operator can open the file at that line. Nothing has been imported when this is thrown by the reader.
 */
public final class ExportFormatException extends RuntimeException {
    private final int line;
    private final int column;

    public ExportFormatException(String message, int line, int column, Throwable cause) {
        super(message + (line > 0 ? " (line " + line + ", column " + column + ")" : ""), cause);
        this.line = line;
        this.column = column;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }
}
