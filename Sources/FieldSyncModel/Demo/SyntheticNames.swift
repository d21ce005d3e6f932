/// Invented names for demo stations and candidates. Every name ends in "(synthetic)".
enum SyntheticNames {
    static let buildings = [
        "Govt. Boys Primary School", "Govt. Girls Primary School", "Govt. Boys Secondary School",
        "Govt. Girls Secondary School", "Govt. Higher Secondary School", "Govt. Degree College",
        "Community Centre", "Union Committee Office", "Municipal Library", "Govt. Girls College",
    ]

    static let givenNames = [
        "Ahmed", "Ali", "Asif", "Bilal", "Farhan", "Faisal", "Hamid", "Imran", "Junaid", "Kamran", "Khalid",
        "Mustafa", "Nadeem", "Naveed", "Owais", "Rashid", "Saad", "Salman", "Shahid", "Tariq", "Usman", "Waseem",
        "Yasir", "Zubair", "Aisha", "Amna", "Farah", "Hina", "Kiran", "Mehwish", "Nasreen", "Rabia", "Saima",
        "Sana", "Shazia", "Uzma",
    ]

    static let familyNames = [
        "Abbasi", "Ansari", "Baloch", "Bhatti", "Chaudhry", "Farooqui", "Hashmi", "Jafri", "Khan", "Memon",
        "Mirza", "Naqvi", "Qureshi", "Rizvi", "Shaikh", "Siddiqui", "Soomro", "Syed", "Usmani", "Zaidi",
    ]

    /// A building that houses polling stations: "Govt. Boys Primary School No. 3".
    static func building(random: inout SplitMix64) -> String {
        "\(random.pick(buildings)) No. \(random.next(in: 1...60))"
    }

    static func person(random: inout SplitMix64) -> String {
        "\(random.pick(givenNames)) \(random.pick(familyNames)) (synthetic)"
    }
}
