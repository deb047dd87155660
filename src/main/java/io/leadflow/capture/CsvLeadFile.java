package io.leadflow.capture;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import io.leadflow.web.InvalidFieldsException;
import io.leadflow.web.InvalidFieldsException.FieldProblem;

/**
 * A CSV file of leads, read one row at a time (never the whole file in memory): UTF-8 (a byte-order
 * mark is skipped), comma-separated (semicolon or tab if the header row uses those, as spreadsheets
 * in some locales do), a header row naming the columns. Column names are our field names, matched
 * regardless of case, spaces, dashes and underscores ({@code First Name} is {@code firstName});
 * other columns are ignored. A row with no value at all (a blank line, or {@code ,,,} as spreadsheets
 * export the empty rows below a list) is skipped, but keeps its row number: rows are numbered as a
 * spreadsheet shows the file, the header row 1, a value with a line break inside quotes one row.
 */
final class CsvLeadFile implements Closeable {

    private final CSVParser parser;
    private final Map<String, String> columns;

    private CsvLeadFile(CSVParser parser, Map<String, String> columns) {
        this.parser = parser;
        this.columns = columns;
    }

    /**
     * Opens the file and checks its header row.
     *
     * @throws InvalidFieldsException when the file has no header row, lacks a required column or names
     *         one of our fields in two columns
     */
    static CsvLeadFile open(Path file) throws IOException {
        BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        try {
            skipByteOrderMark(reader);
            CSVFormat format = CSVFormat.DEFAULT.builder()
                    .setDelimiter(delimiterOf(reader))
                    .setHeader()
                    .setSkipHeaderRecord(true)
                    // blank lines are records here, so that row numbers stay a spreadsheet's; rows() skips them
                    .setIgnoreEmptyLines(false)
                    .setAllowMissingColumnNames(true)
                    .setTrim(true)
                    .get();
            CSVParser parser = CSVParser.builder().setReader(reader).setFormat(format).get();
            Map<String, String> columns = columnsOf(parser.getHeaderNames());
            List<FieldProblem> missing = new ArrayList<>();
            if (parser.getHeaderNames().stream().allMatch(String::isBlank)) {
                missing.add(new FieldProblem("file", "has no header row naming the columns"));
            } else {
                LeadTextInput.REQUIRED_FIELDS.stream()
                        .filter(field -> !columns.containsKey(field))
                        .forEach(field -> missing.add(new FieldProblem(field, "required column is missing from the header row")));
                repeatedColumns(parser.getHeaderNames()).forEach((field, positions) -> missing.add(new FieldProblem(field,
                        "column appears more than once in the header row (columns " + positions + "): which one holds the "
                                + field + " is unclear")));
            }
            if (!missing.isEmpty()) {
                throw new InvalidFieldsException("Invalid CSV file",
                        "The header row must name the columns " + String.join(", ", LeadTextInput.REQUIRED_FIELDS)
                                + "; nothing was imported", missing);
            }
            return new CsvLeadFile(parser, columns);
        } catch (IOException | RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    /**
     * Checks that the whole file is UTF-8 text, reading it once (never the whole file in memory).
     * The rows are read in the background, so a bad byte found there would end the import after a
     * part of it was imported; a spreadsheet's "CSV" export in a Windows code page is refused here
     * instead, with the line of its first bad byte, before anything is stored.
     *
     * @throws InvalidFieldsException when a byte sequence is not UTF-8
     */
    static void requireUtf8(Path file) throws IOException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer bytes = ByteBuffer.allocate(64 * 1024);
        CharBuffer chars = CharBuffer.allocate(64 * 1024);
        LineCount lines = new LineCount();
        try (InputStream in = Files.newInputStream(file)) {
            boolean end = false;
            while (!end) {
                int read = in.read(bytes.array(), bytes.position(), bytes.remaining());
                end = read < 0;
                bytes.position(bytes.position() + Math.max(read, 0));
                bytes.flip();
                CoderResult result;
                do {
                    result = decoder.decode(bytes, chars, end);
                    lines.count(chars.flip());
                    chars.clear();
                    if (result.isError()) {
                        throw new InvalidFieldsException("Invalid CSV file",
                                "The file must be UTF-8 text; nothing was imported",
                                List.of(new FieldProblem("file", "is not UTF-8 text (line " + lines.current()
                                        + "): save it as CSV UTF-8")));
                    }
                } while (result.isOverflow());
                // an incomplete sequence at the end of the buffer is decoded with the next bytes read
                bytes.compact();
            }
        }
    }

    /**
     * Reads every row once, checking the CSV syntax only (a quote opened and never closed, text after a
     * closing quote): the rows are captured in the background, so a syntax error found there would end
     * the import after a part of it was imported. Such a file is refused here instead, with the line of
     * the row that cannot be read, before anything is stored.
     *
     * @throws InvalidFieldsException when the header row lacks a required column or a row is not valid CSV
     */
    static void requireWellFormed(Path file) throws IOException {
        try (CsvLeadFile csv = open(file)) {
            long rowStart = csv.parser.getCurrentLineNumber() + 1;
            try {
                for (CSVRecord ignored : csv.parser) {
                    rowStart = csv.parser.getCurrentLineNumber() + 1;
                }
            } catch (UncheckedIOException e) {
                throw new InvalidFieldsException("Invalid CSV file", "Every row must be valid CSV; nothing was imported",
                        List.of(new FieldProblem("file", syntaxError(e, rowStart))));
            }
        }
    }

    /** What is wrong with the row that starts on {@code line}, in a spreadsheet user's words. */
    private static String syntaxError(UncheckedIOException e, long line) {
        String message = String.valueOf(e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
        if (message.contains("EOF reached before encapsulated token finished")) {
            return "has a quoted value that is never closed (the row starting on line " + line
                    + "): every \" that opens a value must close it";
        }
        if (message.contains("Invalid character between encapsulated token and delimiter")) {
            return "has text after the closing quote of a value (the row starting on line " + line
                    + "): write a quote inside a quoted value as \"\"";
        }
        return "could not be read as CSV (the row starting on line " + line + ")";
    }

    /** The line being read, counting line breaks as CSV does: LF, CR LF or a lone CR. */
    private static final class LineCount {

        private long line = 1;
        private boolean afterCarriageReturn;

        void count(CharBuffer text) {
            while (text.hasRemaining()) {
                char c = text.get();
                if (c == '\r' || (c == '\n' && !afterCarriageReturn)) {
                    line++;
                }
                afterCarriageReturn = c == '\r';
            }
        }

        long current() {
            return line;
        }
    }

    /**
     * The data rows with at least one value, read lazily; a malformed row ends the iteration with an
     * {@code UncheckedIOException} (an upload is checked with {@link #requireWellFormed} first).
     */
    Iterator<CSVRecord> rows() {
        Iterator<CSVRecord> records = parser.iterator();
        return new Iterator<>() {

            private CSVRecord next;

            @Override
            public boolean hasNext() {
                while (next == null && records.hasNext()) {
                    CSVRecord record = records.next();
                    if (!isEmpty(record)) {
                        next = record;
                    }
                }
                return next != null;
            }

            @Override
            public CSVRecord next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                CSVRecord record = next;
                next = null;
                return record;
            }
        };
    }

    /** A blank line, or a row of delimiters only. */
    private static boolean isEmpty(CSVRecord record) {
        return record.stream().allMatch(String::isEmpty);
    }

    /** The text in one of our fields' column, or {@code null} when the file has no such column or the row ends early. */
    String value(CSVRecord row, String field) {
        String column = columns.get(field);
        return column != null && row.isSet(column) ? row.get(column) : null;
    }

    /** The row's number as a spreadsheet shows it: the header is row 1. */
    static long rowNumber(CSVRecord row) {
        return row.getRecordNumber() + 1;
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }

    private static Map<String, String> columnsOf(List<String> headerNames) {
        Map<String, String> byField = new LinkedHashMap<>();
        for (String field : LeadTextInput.FIELDS) {
            headerNames.stream()
                    .filter(header -> comparable(header).equals(comparable(field)))
                    .findFirst()
                    .ifPresent(header -> byField.put(field, header));
        }
        return byField;
    }

    /** Our fields that more than one column of the header row names, with those columns' numbers (1 = A). */
    private static Map<String, String> repeatedColumns(List<String> headerNames) {
        Map<String, String> repeated = new LinkedHashMap<>();
        for (String field : LeadTextInput.FIELDS) {
            List<String> positions = new ArrayList<>();
            for (int i = 0; i < headerNames.size(); i++) {
                if (comparable(headerNames.get(i)).equals(comparable(field))) {
                    positions.add(Integer.toString(i + 1));
                }
            }
            if (positions.size() > 1) {
                repeated.put(field, String.join(" and ", positions));
            }
        }
        return repeated;
    }

    private static String comparable(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }

    private static void skipByteOrderMark(BufferedReader reader) throws IOException {
        reader.mark(1);
        if (reader.read() != '\uFEFF') {
            reader.reset();
        }
    }

    /** Comma, unless the header row has more semicolons or tabs. */
    private static char delimiterOf(BufferedReader reader) throws IOException {
        reader.mark(64 * 1024);
        String header = reader.readLine();
        reader.reset();
        if (header == null) {
            return ',';
        }
        long commas = header.chars().filter(c -> c == ',').count();
        long semicolons = header.chars().filter(c -> c == ';').count();
        long tabs = header.chars().filter(c -> c == '\t').count();
        if (tabs > commas && tabs > semicolons) {
            return '\t';
        }
        return semicolons > commas ? ';' : ',';
    }
}
