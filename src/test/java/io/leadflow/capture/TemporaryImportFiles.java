package io.leadflow.capture;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The temporary files in which imports keep their uploads, found by content: other builds on the
 * same machine may import at the same time, so a test finds its own upload by a text only it wrote.
 */
public final class TemporaryImportFiles {

    private TemporaryImportFiles() {
    }

    /** The import's temporary files that hold this text (a file may vanish while it is read: its import ended). */
    public static List<Path> holding(String text) throws IOException {
        List<Path> copies = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            for (Path candidate : files.filter(f -> f.getFileName().toString().startsWith("leadflow-import-")).toList()) {
                try {
                    // every byte is a character in ISO-8859-1, so a file that is not UTF-8 is searched as well
                    if (new String(Files.readAllBytes(candidate), StandardCharsets.ISO_8859_1).contains(text)) {
                        copies.add(candidate);
                    }
                } catch (NoSuchFileException | AccessDeniedException notOurs) {
                    // another import's file, deleted when it ended, or another user's
                }
            }
        }
        return copies;
    }
}
