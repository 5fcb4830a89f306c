package com.example.shop.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The modules of the build and their dependencies on each other, by artifactId: {@code compile} holds the
 * dependencies that are not test-scoped ("gateway -> shop-web"), {@code runs} the test-scoped ones on a module's
 * pom (e2e runs the applications' jars), read either from the poms or from a Mermaid picture.
 */
record ModuleGraph(Set<String> modules, Set<String> compile, Set<String> runs) {

    private static final String GROUP = "com.example.shop";

    private static final Pattern MERMAID = Pattern.compile("(?ms)^```mermaid\\n(.*?)^```$");

    private static final Pattern NODE = Pattern.compile("^\\s*(\\w+)\\[([^\\]]+)]\\s*$");

    private static final Pattern EDGE = Pattern.compile("^\\s*(\\w+)\\s*(-->|-\\.->)\\s*(\\w+)\\s*$");

    /** The modules the root pom lists, and their dependencies on each other. */
    static ModuleGraph ofPoms(Path root) throws Exception {
        Set<String> modules = new LinkedHashSet<>();
        Set<String> compile = new LinkedHashSet<>();
        Set<String> runs = new LinkedHashSet<>();
        for (Element module : children(pom(root.resolve("pom.xml")).getDocumentElement(), "modules", "module")) {
            Element project = pom(root.resolve(module.getTextContent().trim()).resolve("pom.xml")).getDocumentElement();
            String artifact = text(project, "artifactId");
            modules.add(artifact);
            for (Element dependency : children(project, "dependencies", "dependency")) {
                if (!GROUP.equals(text(dependency, "groupId")) || "test-jar".equals(text(dependency, "type"))) {
                    continue;
                }
                String edge = artifact + " -> " + text(dependency, "artifactId");
                if (!"test".equals(text(dependency, "scope"))) {
                    compile.add(edge);
                }
                else if ("pom".equals(text(dependency, "type"))) {
                    runs.add(edge);
                }
            }
        }
        return new ModuleGraph(modules, compile, runs);
    }

    /** The graph a Markdown text's {@code ```mermaid} block draws: {@code id[artifactId]} nodes, {@code -->} and {@code -.->} arrows. */
    static ModuleGraph ofMermaid(String markdown) {
        Matcher block = MERMAID.matcher(markdown);
        if (!block.find()) {
            throw new AssertionError("no ```mermaid block");
        }
        Map<String, String> names = new HashMap<>();
        List<String[]> edges = new ArrayList<>();
        for (String line : block.group(1).split("\n")) {
            Matcher node = NODE.matcher(line);
            Matcher edge = EDGE.matcher(line);
            if (node.matches()) {
                names.put(node.group(1), node.group(2).trim());
            }
            else if (edge.matches()) {
                edges.add(new String[] {edge.group(1), edge.group(2), edge.group(3)});
            }
        }
        Set<String> compile = new LinkedHashSet<>();
        Set<String> runs = new LinkedHashSet<>();
        for (String[] edge : edges) {
            String text = name(names, edge[0]) + " -> " + name(names, edge[2]);
            (edge[1].equals("-->") ? compile : runs).add(text);
        }
        return new ModuleGraph(new LinkedHashSet<>(names.values()), compile, runs);
    }

    private static String name(Map<String, String> names, String id) {
        String name = names.get(id);
        if (name == null) {
            throw new AssertionError("the picture draws an arrow from or to " + id + ", which it does not declare");
        }
        return name;
    }

    private static Document pom(Path file) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
    }

    /** The {@code child} elements of {@code parent}'s direct {@code list} element (none when it has none). */
    private static List<Element> children(Element parent, String list, String child) {
        List<Element> found = new ArrayList<>();
        for (Element holder : direct(parent, list)) {
            found.addAll(direct(holder, child));
        }
        return found;
    }

    private static List<Element> direct(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node node = nodes.item(i);
            if (node instanceof Element element && element.getTagName().equals(name)) {
                found.add(element);
            }
        }
        return found;
    }

    /** The text of {@code parent}'s direct child {@code name}, or null. */
    private static String text(Element parent, String name) {
        List<Element> found = direct(parent, name);
        return found.isEmpty() ? null : found.get(0).getTextContent().trim();
    }
}
