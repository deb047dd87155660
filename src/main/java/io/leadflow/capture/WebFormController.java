package io.leadflow.capture;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/webforms/{formId}}: the webhook a web form (or its form builder) posts to, as
 * {@code application/x-www-form-urlencoded}. Accepted submissions are answered 204 whether the
 * lead is new or known, and so is a bot's, so the answer tells a sender nothing about our data.
 */
@RestController
public class WebFormController {

    static final String PATH = "/api/webforms";

    private final WebFormSubmissions submissions;

    public WebFormController(WebFormSubmissions submissions) {
        this.submissions = submissions;
    }

    @PostMapping(path = PATH + "/{formId}", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    public ResponseEntity<Void> submit(@PathVariable String formId, @RequestParam MultiValueMap<String, String> fields) {
        submissions.submit(formId, fields);
        return ResponseEntity.noContent().build();
    }
}
