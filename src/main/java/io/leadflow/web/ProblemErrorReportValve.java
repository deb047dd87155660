package io.leadflow.web;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpStatus;

/**
 * Tomcat's own error page, for what Tomcat refuses before any servlet runs (a header or a query
 * too long, an encoded slash in the path): under {@code /api} a problem like every other API error,
 * {@code application/problem+json} with the status and a detail, instead of Tomcat's HTML page.
 * Other paths get Tomcat's page as before, without server information or report.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    public ProblemErrorReportValve() {
        setShowServerInfo(false);
        setShowReport(false);
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        String path = uri == null ? "" : context != null && uri.startsWith(context) ? uri.substring(context.length()) : uri;
        if (!path.equals("/api") && !path.startsWith("/api/")) {
            super.report(request, response, throwable);
            return;
        }
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(true);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get() || !response.setErrorReported()) {
            return;
        }
        HttpStatus known = HttpStatus.resolve(status);
        String title = known == null ? "Error" : known.getReasonPhrase();
        String detail = status >= 500 ? ApiProblemHandler.INTERNAL_ERROR_DETAIL
                : "The server refused the request before reading it (a header, the query or the path too long or not allowed)";
        String body = "{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status + ",\"detail\":\"" + detail + "\"}";
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(body);
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException cannotWrite) {
            // the client is gone or the answer was committed meanwhile: nothing left to tell it
        }
    }
}
