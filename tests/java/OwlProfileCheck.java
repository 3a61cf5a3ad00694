// The OWL API's OWL 2 DL profile check over several ontology documents taken together.
//
// Debian's libowlapi-java has the checker (org.semanticweb.owlapi.profiles.OWL2DLProfile)
// but no command to run it, so this single-file program is run by the Java launcher:
//
//   java -cp '/usr/share/java/*' tests/java/OwlProfileCheck.java core.ttl alignments.ttl ...
//
// The documents are loaded in the order given, so an owl:imports of a document loaded
// before resolves to it and nothing is fetched. Their axioms are merged into one ontology,
// which is checked against OWL 2 DL. Prints each violation and a last line
// "axioms: N violations: M"; exits 0 when the merge is in OWL 2 DL, 1 when it is not,
// 2 when a document cannot be read.

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.model.IRI;
import org.semanticweb.owlapi.model.MissingImportHandlingStrategy;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;

public class OwlProfileCheck {
    public static void main(String[] args) throws Exception {
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        manager.getOntologyConfigurator()
            .setMissingImportHandlingStrategy(MissingImportHandlingStrategy.SILENT);
        List<OWLOntology> loaded = new ArrayList<>();
        for (String path : args) {
            try {
                loaded.add(manager.loadOntologyFromOntologyDocument(new File(path)));
            } catch (Exception e) {
                System.out.println("cannot read " + path + ": " + e.getMessage());
                System.exit(2);
            }
        }
        OWLOntology merged = manager.createOntology(IRI.create("urn:peninsula:profile-check"));
        for (OWLOntology ontology : loaded) {
            manager.addAxioms(merged, ontology.axioms());
        }
        OWLProfileReport report = new OWL2DLProfile().checkOntology(merged);
        for (OWLProfileViolation violation : report.getViolations()) {
            System.out.println(violation.toString().replace('\n', ' '));
        }
        System.out.println("axioms: " + merged.getAxiomCount()
            + " violations: " + report.getViolations().size());
        System.exit(report.isInProfile() ? 0 : 1);
    }
}
