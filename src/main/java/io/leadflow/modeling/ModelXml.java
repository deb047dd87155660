package io.leadflow.modeling;

import java.util.ArrayList;
import java.util.List;

import org.camunda.bpm.model.xml.ModelInstance;
import org.w3c.dom.Attr;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * A model's XML as the engine reads it, after the XML parser: attribute values and element texts
 * with their entities and character references resolved and their CDATA sections joined. A check that
 * read the file's text instead saw {@code &quot;}, {@code &#x27;} or a CDATA boundary where the engine
 * sees a quote, and could be led to end an expression where the engine does not.
 */
final class ModelXml {

    private ModelXml() {
    }

    /** A text of the model and where it stands: the element's id (or its tag in the nearest id) and the attribute. */
    record Text(String where, String value) {
    }

    /**
     * Every attribute value and every element's own text (its text and CDATA children joined) of the
     * model, but a text annotation's text, which the engine never reads (a note "the form shows
     * ${lead.score}" was refused as an expression). A {@code bpmn:documentation} stays: on a user task
     * the engine evaluates it as the task's description.
     */
    static List<Text> texts(ModelInstance model) {
        List<Text> texts = new ArrayList<>();
        elements(model).forEach(element -> {
            attributes(element).forEach(attribute -> texts.add(new Text(nameOf(element) + ", attribute " + attribute.getName(), attribute.getValue())));
            if ("text".equals(element.getLocalName()) && element.getParentNode() instanceof Element parent
                    && "textAnnotation".equals(parent.getLocalName())) {
                return;
            }
            StringBuilder text = new StringBuilder();
            for (Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
                if (child.getNodeType() == Node.TEXT_NODE || child.getNodeType() == Node.CDATA_SECTION_NODE) {
                    text.append(child.getNodeValue());
                }
            }
            if (!text.isEmpty()) {
                texts.add(new Text(nameOf(element), text.toString()));
            }
        });
        return texts;
    }

    /** The values of every attribute named {@code localName} (in any namespace or none), on any element of the model. */
    static List<String> attributeValues(ModelInstance model, String localName) {
        List<String> values = new ArrayList<>();
        elements(model).forEach(element -> attributes(element).stream().filter(attribute -> localName.equals(localName(attribute)))
                .forEach(attribute -> values.add(attribute.getValue())));
        return values;
    }

    /**
     * Every attribute of the namespace (null: of any namespace, or none) whose local name ends with
     * {@code suffix}, as "element: prefix:name": the element is named by its id, or when it has none by
     * its tag and the id of the nearest element around it that has one ("bpmn:condition in Condition_Feel").
     */
    static List<String> attributesEndingWith(ModelInstance model, String namespace, String suffix) {
        List<String> found = new ArrayList<>();
        elements(model).forEach(element -> attributes(element).stream()
                .filter(attribute -> (namespace == null || namespace.equals(attribute.getNamespaceURI())) && localName(attribute).endsWith(suffix))
                .forEach(attribute -> found.add(nameOf(element) + ": " + attribute.getName())));
        return found;
    }

    /** Every element and attribute in the namespace, as "element" or "element: prefix:name". */
    static List<String> inNamespace(ModelInstance model, String namespace) {
        List<String> found = new ArrayList<>();
        elements(model).forEach(element -> {
            if (namespace.equals(element.getNamespaceURI())) {
                found.add(nameOf(element));
            }
            attributes(element).stream().filter(attribute -> namespace.equals(attribute.getNamespaceURI()))
                    .forEach(attribute -> found.add(nameOf(element) + ": " + attribute.getName()));
        });
        return found;
    }

    private static List<Attr> attributes(Element element) {
        NamedNodeMap attributes = element.getAttributes();
        List<Attr> list = new ArrayList<>(attributes.getLength());
        for (int i = 0; i < attributes.getLength(); i++) {
            list.add((Attr) attributes.item(i));
        }
        return list;
    }

    /**
     * Why a model could not be read, as a process owner can act on it: the parser's own words come last
     * in the chain ("SAXException while parsing input stream" says nothing; its cause names the line and
     * the id: "Line=1316: cvc-id.1: There is no ID/IDREF binding for IDREF 'Gateway_X'").
     */
    static String whyUnreadable(Throwable unreadable) {
        String outer = unreadable.getMessage();
        String inner = null;
        for (Throwable cause = unreadable.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
                inner = cause.getMessage();
            }
        }
        if (inner == null || outer != null && outer.contains(inner)) {
            return outer;
        }
        return outer == null ? inner : outer + ": " + inner;
    }

    private static String localName(Attr attribute) {
        return attribute.getLocalName() != null ? attribute.getLocalName() : attribute.getName();
    }

    private static String nameOf(Element element) {
        if (!element.getAttribute("id").isEmpty()) {
            return element.getAttribute("id");
        }
        for (Node parent = element.getParentNode(); parent instanceof Element around; parent = parent.getParentNode()) {
            if (!around.getAttribute("id").isEmpty()) {
                return element.getTagName() + " in " + around.getAttribute("id");
            }
        }
        return element.getTagName();
    }

    private static List<Element> elements(ModelInstance model) {
        List<Element> elements = new ArrayList<>();
        Node document = model.getDocument().getDomSource().getNode();
        collect(document, elements);
        return elements;
    }

    private static void collect(Node node, List<Element> elements) {
        for (Node child = node.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element element) {
                elements.add(element);
                collect(element, elements);
            }
        }
    }
}
