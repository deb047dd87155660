package io.leadflow.recycling;

import java.nio.charset.StandardCharsets;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The only place that writes the engine's tables with SQL, for the few erasures Camunda 7's public
 * API cannot do: it has no call to change or clear the message of a historic incident, the
 * exception message and stack trace of a historic job log entry, or the name and description of a
 * historic task, and {@code TaskService.deleteTaskComments} refuses the comments of a completed task
 * ("No task exists"), short of deleting the whole historic process instance (which would also
 * delete the non-personal facts the KPIs and the audit need). Everything else is erased through
 * {@link org.camunda.bpm.engine.HistoryService} and {@link org.camunda.bpm.engine.TaskService} by
 * {@link EngineErasure}. Rows are changed, not deleted, so the engine's references stay valid
 * (only comments are deleted: nothing refers to them); the statements name the standard tables of
 * schema 7.24 (no table prefix) and run on H2 and PostgreSQL. Tested by {@code EngineHistoryEraserTest}.
 */
@Repository
public class EngineHistoryEraser {

    /** What replaces an erased stack trace (the engine expects the byte array to exist). */
    static final byte[] ERASED = "erased on request".getBytes(StandardCharsets.UTF_8);

    private final JdbcClient jdbc;

    public EngineHistoryEraser(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Clears the messages of the process instance's historic incidents; returns how many. */
    public int clearIncidentMessages(String processInstanceId) {
        return jdbc.sql("update ACT_HI_INCIDENT set INCIDENT_MSG_ = null where PROC_INST_ID_ = :id and INCIDENT_MSG_ is not null")
                .param("id", processInstanceId)
                .update();
    }

    /** Clears exception messages and stack traces of the process instance's historic job log; returns how many entries. */
    public int clearJobLogExceptions(String processInstanceId) {
        jdbc.sql("""
                update ACT_GE_BYTEARRAY set BYTES_ = :erased
                where ID_ in (select JOB_EXCEPTION_STACK_ID_ from ACT_HI_JOB_LOG
                              where PROCESS_INSTANCE_ID_ = :id and JOB_EXCEPTION_STACK_ID_ is not null)
                """)
                .param("erased", ERASED)
                .param("id", processInstanceId)
                .update();
        return jdbc.sql("""
                update ACT_HI_JOB_LOG set JOB_EXCEPTION_MSG_ = null
                where PROCESS_INSTANCE_ID_ = :id and JOB_EXCEPTION_MSG_ is not null
                """)
                .param("id", processInstanceId)
                .update();
    }

    /** Deletes the comments (not the assignment events) of a completed task; returns how many. */
    /**
     * Deletes the comments saved with an ended process instance's id (Tasklist with
     * {@code assignProcessInstanceIdToTaskComment}, or a client that passes it), which the engine's
     * {@code deleteProcessInstanceComments} refuses once the instance has ended.
     */
    public int deleteCommentsOfEndedProcessInstance(String processInstanceId) {
        return jdbc.sql("delete from ACT_HI_COMMENT where PROC_INST_ID_ = :id and TYPE_ = 'comment'")
                .param("id", processInstanceId)
                .update();
    }

    public int deleteCommentsOfCompletedTask(String taskId) {
        return jdbc.sql("delete from ACT_HI_COMMENT where TASK_ID_ = :id and TYPE_ = 'comment'")
                .param("id", taskId)
                .update();
    }

    /** Replaces a historic task's name (with the given neutral one) and clears its description. */
    public int replaceTaskText(String taskId, String neutralName) {
        return jdbc.sql("update ACT_HI_TASKINST set NAME_ = :name, DESCRIPTION_ = null where ID_ = :id")
                .param("name", neutralName)
                .param("id", taskId)
                .update();
    }
}
