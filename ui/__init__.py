"""CalmPay's Qt Widgets front end. Holds no business rules: screens ask client/ and show the answer."""
