package io.leadflow.capture;

import io.leadflow.scoring.ScoringTables;

/**
 * The versions an import uses for every row: the lead lifecycle and the scoring tables that were
 * deployed when it started. A model or table deployed from Modeler during an import applies to the
 * next import (and to every other capture at once); the rows of one file are all treated alike, and
 * an import no longer asks the database for the latest versions once per row.
 *
 * @param lifecycleDefinitionId the lifecycle's process definition, started by id
 * @param scoring               the scoring tables at their pinned versions, for every scoring a row sets off
 */
public record LeadModels(String lifecycleDefinitionId, ScoringTables scoring) {
}
