package io.leadflow.capture;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

import io.leadflow.security.ApiScope;
import io.leadflow.security.Caller;
import io.leadflow.web.ApiDocumentation;
import io.leadflow.web.NotFoundException;
import io.leadflow.web.TextRules;

/**
 * {@code POST /api/imports}: a CSV file of leads (multipart part {@code file}), imported in the
 * background; {@code GET /api/imports/{id}} shows its progress.
 */
@RestController
@Tag(name = "Imports")
@RequestMapping("/api/imports")
public class LeadImportController {

    private final LeadImports imports;
    private final LeadImportRepository records;

    public LeadImportController(LeadImports imports, LeadImportRepository records) {
        this.imports = imports;
        this.records = records;
    }

    @Operation(summary = "Import leads from a CSV file", description = "Multipart part 'file': UTF-8 CSV with a header row naming at least email, firstName, lastName, company, companySize, country (optional: phone, jobTitle, role, industry, campaign). Imported in the background, each row validated and captured on its own with source import; watch it at the Location.")
    @ApiResponse(responseCode = "202", description = "Accepted; the import runs in the background")
    @ApiResponse(responseCode = "400", description = "No file, a file that is not UTF-8 text (the line of its first bad byte is named), a header row without a required column, or a row that is not valid CSV (a quote never closed, text after a closing quote; the line is named); nothing imported", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "413", description = "The upload is larger than spring.servlet.multipart.max-request-size or the file than max-file-size (20 MB each); nothing imported", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "503", description = "Too many imports are waiting; nothing imported, upload again after Retry-After seconds", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<ImportAccepted> start(@RequestPart("file") MultipartFile file) throws IOException {
        String id;
        try (InputStream upload = file.getInputStream()) {
            id = imports.start(fileName(file), Caller.id(), upload);
        }
        URI location = URI.create("/api/imports/" + id);
        return ResponseEntity.accepted().location(location).body(new ImportAccepted(id, LeadImport.Status.QUEUED, location));
    }

    @Operation(summary = "Watch an import", description = "Status QUEUED (waiting for one of the two import workers), RUNNING, DONE or FAILED; rows read, created, duplicates, suppressed, rejected; the first 100 rejected rows with row number, column and reason. A caller without scope read sees only the imports it uploaded itself (404 for others), with accepted (created, duplicates and suppressed together) instead of the three: whether an address is known is for readers only, as the capture's answer says.")
    @ApiResponse(responseCode = "200", description = "The import's progress")
    @ApiResponse(responseCode = "404", description = "No such import, or (caller without scope read) one another caller uploaded", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
    @GetMapping("/{id}")
    public Object get(@PathVariable String id) {
        LeadImport found = records.find(id).orElseThrow(() -> new NotFoundException("import", id));
        if (ApiScope.callerMayRead()) {
            return found;
        }
        // another key's import: as unknown as an id that is none (its file name and errors are not this key's)
        if (found.startedBy() == null || !found.startedBy().equals(Caller.id())) {
            throw new NotFoundException("import", id);
        }
        return ImportProgress.of(found);
    }

    /**
     * An import as a caller without scope read sees it: a capture-only key would otherwise learn from
     * a one-row file whether an address is a lead (created 0, duplicates 1) or asked not to be contacted
     * (suppressed), which its captures never tell it (202 for all three).
     */
    public record ImportProgress(String id, String fileName, LeadImport.Status status, int rowsRead, int accepted, int rejected,
                                 List<LeadImport.RowError> errors, String failure, OffsetDateTime startedAt, OffsetDateTime finishedAt) {

        static ImportProgress of(LeadImport i) {
            return new ImportProgress(i.id(), i.fileName(), i.status(), i.rowsRead(), i.created() + i.duplicates() + i.suppressed(),
                    i.rejected(), i.errors(), i.failure(), i.startedAt(), i.finishedAt());
        }
    }

    /** The answer to an upload: where to watch the import. */
    public record ImportAccepted(String id, LeadImport.Status status, URI location) {
    }

    static String fileName(MultipartFile file) {
        String name = file.getOriginalFilename();
        if (name == null || name.isBlank()) {
            return null;
        }
        String normalized = name.replace('\\', '/');
        // control characters become _: a line break forged log lines, a NUL was a 500 on PostgreSQL
        String base = normalized.substring(normalized.lastIndexOf('/') + 1).replaceAll(TextRules.CONTROL_CHARACTER, "_");
        return TextRules.cut(base, 255);
    }
}
