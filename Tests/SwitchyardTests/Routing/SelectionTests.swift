import Routing
import Testing

/// A routing decision's selection holds up to eight sets inline: what goes in comes back
/// in order, and equality compares every chosen set.
@Suite struct SelectionTests {
    @Test func eightSetsComeBackInTheOrderChosen() {
        let chosen = [5, 0, 7, 3, 6, 1, 4, 2]
        var selection = Selection(chosen[0])
        for index in chosen.dropFirst() { selection.append(index) }
        #expect(selection.count == 8)
        #expect((0..<selection.count).map { selection[$0] } == chosen)
        #expect(selection.others == Array(chosen.dropFirst()))
        #expect(Selection(chosen[0], others: Array(chosen.dropFirst())) == selection)
    }

    @Test func equalityComparesEveryChosenSet() {
        #expect(Selection(1, others: [2, 3]) != Selection(1, others: [3, 2]))
        #expect(Selection(1, others: [2]) != Selection(1, others: [2, 3]))
        #expect(Selection(1) == Selection(1, others: []))
        #expect(Selection.none.count == 0 && Selection.none.isEmpty)
        #expect(Selection(0).count == 1 && Selection(0).others.isEmpty)
    }

    @Test func largeSetIndexesSurvive() {
        let selection = Selection(70_000, others: [65_536, 1_000_000])
        #expect(selection[0] == 70_000 && selection[1] == 65_536 && selection[2] == 1_000_000)
    }
}
