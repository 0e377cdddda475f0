import SalesforceExtraction
import Testing

@Suite struct BudgetTests {
    @Test func parsesLimitInfo() {
        #expect(APIUsage(header: "api-usage=10018/100000") == APIUsage(used: 10018, maximum: 100_000))
        #expect(APIUsage(header: "api-bursts=1/750, api-usage=7/50") == APIUsage(used: 7, maximum: 50))
        #expect(APIUsage(header: "per-app-api-usage=17/250(appName=x)") == nil)
        #expect(APIUsage(header: "api-usage=x/100") == nil)
        #expect(APIUsage(header: "api-usage=1/0") == nil)
    }

    @Test func stopsAtTheShareAndNeverPassesIt() {
        var budget = APIBudget(share: 0.5)
        let a = budget.reserve()
        #expect(a)
        let b = budget.reserve()
        #expect(!b)  // allocation unknown: one call at a time
        budget.settle(APIUsage(used: 40, maximum: 100), answered: true)
        #expect(budget.limit == 50)
        var sent = 0
        while budget.reserve() { sent += 1 }
        #expect(sent == 10)  // reserved concurrently, never past 50
        for _ in 0..<10 { budget.settle(nil, answered: true) }
        #expect(budget.used == 50)
        let c = budget.reserve()
        #expect(!c)
    }

    @Test func reportedUsageNeverGoesBackwards() {
        var budget = APIBudget(share: 1)
        _ = budget.reserve()
        budget.settle(APIUsage(used: 9, maximum: 10), answered: true)
        _ = budget.reserve()
        budget.settle(APIUsage(used: 3, maximum: 10), answered: true)
        #expect(budget.used == 9)
        let d = budget.reserve(), e = budget.reserve()
        #expect(d)
        #expect(!e)
    }
}
