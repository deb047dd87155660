package io.leadflow.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;

import jakarta.validation.Validation;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import io.leadflow.sla.EngineClock;

/**
 * The upload's temporary file belongs to the background import once the executor took it; a
 * failure before that deletes it, so a database that refuses the import record leaves no copy of
 * the list (personal data) behind.
 */
class LeadImportTemporaryFileTest {

    @Test
    void uploadWhoseImportCannotBeRecorded_leavesNoTemporaryFile() throws Exception {
        String tag = "unrecorded-" + System.nanoTime();
        LeadImportRepository databaseDown = new LeadImportRepository(null) {
            @Override
            public void insert(String id, String fileName, String startedBy, OffsetDateTime now) {
                throw new DataAccessResourceFailureException("the database is down");
            }
        };
        ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
        executor.initialize();
        LeadImports imports = new LeadImports(databaseDown, new LeadTextInput(Validation.buildDefaultValidatorFactory().getValidator()),
                null, executor, null, new EngineClock(), 1);
        String csv = "email,firstName,lastName,company,companySize,country\n" + tag + "@example.com,Ada,Lovelace,Analytical Engines,500,DE\n";
        try {
            assertThatThrownBy(() -> imports.start("unrecorded.csv", null, new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8))))
                    .isInstanceOf(DataAccessResourceFailureException.class);

            assertThat(TemporaryImportFiles.holding(tag)).as("the stored upload is deleted").isEmpty();
        } finally {
            imports.stop();
        }
    }
}
