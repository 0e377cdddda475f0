/// Valid Salesforce answers and extractor input files, shaped like the REST API's (and the simulator's).
enum SalesforceSeeds {
    static let queryPages = FuzzTarget.utf8([
        #"""
        {"totalSize":3,"done":false,"nextRecordsUrl":"/services/data/v60.0/query/01gRO0000016PIAYA2-2000","records":[{"attributes":{"type":"Account","url":"/services/data/v60.0/sobjects/Account/001RO000001aBcDYAU"},"Id":"001RO000001aBcDYAU","Name":"Acme GmbH","AnnualRevenue":1.5E7,"NumberOfEmployees":120,"IsDeleted":false,"BillingCity":null,"SystemModstamp":"2026-11-30T12:00:00.000+0000"},{"attributes":{"type":"Account"},"Id":"001RO000001aBcEYAU","Name":"Ünïcødé \"quoted\" \u00e9","SystemModstamp":"2026-11-30T12:00:01.000+0000"}]}
        """#,
        #"{"totalSize":0,"done":true,"records":[]}"#,
        #"{"done":true,"records":[{"Id":"003RO000001aBcD","Owner":{"attributes":{"type":"User"},"Name":"x"}}],"totalSize":1}"#,
    ])

    static let describes = FuzzTarget.utf8([
        #"""
        {"name":"Account","label":"Account","fields":[{"name":"Id","type":"id","nillable":false,"updateable":false},{"name":"Name","type":"string","nillable":false,"updateable":true},{"name":"BillingAddress","type":"address","nillable":true,"updateable":false},{"name":"AnnualRevenue","type":"currency","nillable":true,"updateable":true},{"name":"SystemModstamp","type":"datetime","nillable":false,"updateable":false}]}
        """#,
        #"{"fields":[],"name":"Contact"}"#,
    ])

    static let tokens = FuzzTarget.utf8([
        #"{"access_token":"00DRO000000abcd!AQ4AQFh.xyz","instance_url":"https://acme.my.salesforce.com/","id":"https://login.salesforce.com/id/00D/005","token_type":"Bearer","issued_at":"1764504000000","signature":"abc=","refresh_token":"5Aep861"}"#,
        #"{"access_token":"t","instance_url":"http://127.0.0.1:8080"}"#,
    ])

    static let errorBodies = FuzzTarget.utf8([
        #"[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]"#,
        #"{"error":"invalid_client","error_description":"invalid client credentials"}"#,
        #"{"errorCode":"REQUEST_LIMIT_EXCEEDED","message":"TotalRequests Limit exceeded."}"#,
    ])

    static let csvFiles = FuzzTarget.utf8([
        "Id,Name,BillingAddress.City,SystemModstamp\r\n001RO000001aBcDYAU,Acme GmbH,Berlin,2026-11-30T12:00:00.000Z\r\n"
            + "001RO000001aBcEYAU,\"Multi\nline, \"\"quoted\"\"\",,2026-11-30T12:00:01Z\r\n",
        "Id,LastModifiedDate\n003RO000001aBcD,2026-01-01T00:00:00+00:00\n\n003RO000001aBcE,2026-01-01T00:00:00.5-01:00\n",
    ])

    static let jsonLinesFiles = FuzzTarget.utf8([
        #"{"attributes":{"type":"Account"},"Id":"001RO000001aBcDYAU","Name":"Acme","SystemModstamp":"2026-11-30T12:00:00.000+0000"}"#
            + "\n"
            + #"{"attributes":{"type":"Contact"},"Id":"003RO000001aBcD","LastModifiedDate":"2026-11-30T12:00:00Z","Age":42,"VIP":true,"Fax":null}"#
            + "\r\n\n",
        #"{"attributes":{"type":"Opportunity"},"Id":"006RO000001aBcDYAU","SystemModstamp":"2026-01-01T00:00:00Z","Amount":1.5e3}"#,
    ])
}
