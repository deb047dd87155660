package io.leadflow.recycling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.history.HistoricVariableUpdate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.leadflow.capture.CapturedLead;
import io.leadflow.lead.NewLead;
import io.leadflow.process.ProcessTestEngine;

/**
 * History written before leadflow's history level (at Camunda's {@code full}) holds a variable
 * detail for every value a variable had, the contact's personal data among them. An erasure removes
 * those too: this engine runs at {@code full}, as installations did before the level changed.
 */
class EngineErasureOfDetailsTest {

    static ProcessTestEngine t;
    static ProcessEngine engine;

    @BeforeAll
    static void engineAtFull() {
        t = new ProcessTestEngine("erasure-of-details");
        t.configuration.setHistory(ProcessEngineConfiguration.HISTORY_FULL);
        engine = t.startWithAllModels();
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    /** The engine part of an erasure, as LeadErasure runs it once the lifecycle is stopped. */
    static EngineErasure erasure() {
        return new EngineErasure(engine.getRuntimeService(), engine.getHistoryService(), engine.getTaskService(),
                new EngineHistoryEraser(t.jdbc), t.leads, new io.leadflow.notification.NotificationOutbox(t.jdbc));
    }

    @Test
    void aLeadCapturedAtFull_losesItsVariableDetailsWithItsErasure() {
        String email = "quirina-" + UUID.randomUUID() + "@example.com";
        CapturedLead captured = t.capture().capture(new NewLead(email, "Quirina", "Testperson", "+49 30 1234567",
                "Erasure Works GmbH", "CTO", "executive", "software", 500, "DE", "webForm", "autumn-webinar"));
        String pid = captured.processInstanceId();
        HistoryService history = engine.getHistoryService();
        assertThat(history.createHistoricDetailQuery().processInstanceId(pid).variableUpdates().list())
                .as("the details that full writes, the contact's email among them")
                .anyMatch(d -> email.equals(((HistoricVariableUpdate) d).getValue()));

        // the lifecycle is stopped first, as LeadErasure does
        engine.getRuntimeService().deleteProcessInstance(pid, "lead erased on request");
        Map<String, Integer> erased = new HashMap<>();
        erasure().erase(captured.leadId(), PersonalData.of(t.leads.get(captured.leadId())), erased);

        assertThat(erased.get("historicVariableDetails")).as("details counted in the report").isPositive();
        assertThat(history.createHistoricDetailQuery().processInstanceId(pid).count()).as("details left").isZero();
        assertThat(history.createHistoricVariableInstanceQuery().processInstanceId(pid).count()).as("variables left").isZero();
        assertThat(t.jdbc.sql("select count(*) from ACT_HI_DETAIL where TEXT_ = :email").param("email", email)
                .query(Long.class).single()).as("rows holding the email").isZero();
    }

    @Test
    void aTaskNamedAfterTheContactAsItWasThen_getsItsNeutralName_thoughTheRecordNamesTheContactOtherwiseNow() {
        String email = "quintus-" + UUID.randomUUID() + "@example.com";
        CapturedLead captured = t.capture().capture(new NewLead(email, "Quintus", "Oldname", null,
                "Erasure Works GmbH", "CTO", "executive", "software", 500, "DE", "webForm", null));
        String pid = captured.processInstanceId();
        HistoryService history = engine.getHistoryService();
        assertThat(history.createHistoricTaskInstanceQuery().processInstanceId(pid).singleResult().getName())
                .isEqualTo("Review MQL: Quintus Oldname, Erasure Works GmbH");

        engine.getRuntimeService().deleteProcessInstance(pid, "lead erased on request");
        Map<String, Integer> erased = new HashMap<>();
        // the record's name was fixed since (Fix lead data): the old one is in no list to look for
        erasure().erase(captured.leadId(), PersonalData.of(email, "Quinta", "Newname", null), erased);

        assertThat(history.createHistoricTaskInstanceQuery().processInstanceId(pid).singleResult().getName())
                .isEqualTo("Task_ReviewMql");
        assertThat(erased.get("taskNames")).isEqualTo(1);
    }

    @Test
    void aCommentSavedWithTheInstancesId_isErasedAfterTheLifecycleEnded() {
        String email = "quentin-" + UUID.randomUUID() + "@example.com";
        CapturedLead captured = t.capture().capture(new NewLead(email, "Quentin", "Commenter", null,
                "Erasure Works GmbH", "CTO", "executive", "software", 500, "DE", "webForm", null));
        String pid = captured.processInstanceId();
        String taskId = engine.getTaskService().createTaskQuery().processInstanceId(pid).singleResult().getId();
        // as Tasklist saves it with assignProcessInstanceIdToTaskComment, or a client passing the instance
        engine.getTaskService().createComment(taskId, pid, "Called Quentin Commenter at " + email);

        engine.getRuntimeService().deleteProcessInstance(pid, "lead erased on request");
        Map<String, Integer> erased = new HashMap<>();
        erasure().erase(captured.leadId(), PersonalData.of(t.leads.get(captured.leadId())), erased);

        assertThat(engine.getTaskService().getProcessInstanceComments(pid)).isEmpty();
        assertThat(t.jdbc.sql("select count(*) from ACT_HI_COMMENT where MESSAGE_ like :m").param("m", "%" + email + "%")
                .query(Long.class).single()).isZero();
    }
}
