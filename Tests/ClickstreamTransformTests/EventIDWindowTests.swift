import ClickstreamTransform
import Testing

@Suite struct EventIDWindowTests {
    @Test func remembersTheLastCapacityIds() {
        let window = EventIDWindow(capacity: 3)
        #expect(window.insert("a") && window.insert("b") && window.insert("c"))
        #expect(!window.insert("b"))
        #expect(window.count == 3 && window.contains("a"))
        #expect(window.insert("d"))
        #expect(!window.contains("a") && window.contains("b") && window.contains("d") && window.count == 3)
        #expect(window.insert("a"))
        #expect(!window.contains("b"))
    }

    @Test func longIdsAndEmptyIdsWork() {
        let window = EventIDWindow(capacity: 2)
        let long = String(repeating: "x", count: 100)
        #expect(window.insert(long) && window.contains(long) && !window.contains(long + "y"))
        #expect(window.insert("") && window.contains(""))
        #expect(window.insert("z"))
        #expect(!window.contains(long))
    }

    @Test func staysExactUnderHeavyChurn() {
        let capacity = 1000
        let window = EventIDWindow(capacity: capacity)
        for i in 0..<50_000 {
            #expect(window.insert("e-\(i)"))
            if i % 97 == 0 {
                #expect(window.contains("e-\(i - min(i, capacity - 1))"))
                if i >= capacity { #expect(!window.contains("e-\(i - capacity)")) }
            }
        }
        #expect(window.count == capacity)
        var present = 0
        for i in 0..<50_000 where window.contains("e-\(i)") { present += 1 }
        #expect(present == capacity)
        window.removeAll()
        #expect(window.count == 0 && !window.contains("e-49999"))
    }
}
