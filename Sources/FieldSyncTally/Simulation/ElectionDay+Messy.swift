extension ElectionDay.Options {
    /// A messy day, for the checks that a fold fed another way gives the same tallies: many copying
    /// mistakes, corrections that apply and corrections that cannot, devices held for review, editors'
    /// reviews and the commission's figures.
    public static func messy(seed: UInt64) -> Self {
        var options = Self()
        options.seed = seed
        options.copyingMistakes = 0.3
        options.strayCorrections = 0.2
        options.unassignedDevices = 0.1
        options.reviews = 0.2
        options.officialResults = 0.2
        return options
    }
}
