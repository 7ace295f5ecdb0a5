using Xunit;

namespace Conformance.Specs.Bridge;

// One test class per partition: xunit runs classes (collections) in parallel, scenarios of one class in sequence.
// Rows are the scenarios whose index in features/ modulo 12 (ScenarioRows.Partitions) is the partition number.

public sealed class Scenarios0 : ScenarioTestBase
{
    public static IEnumerable<ITheoryDataRow> Rows => ScenarioRows.For(0);
    [Theory(SkipTestWithoutData = true), MemberData(nameof(Rows))] public Task Scenario(string id) => RunScenarioAsync(id);
}

public sealed class Scenarios1 : ScenarioTestBase
{
    public static IEnumerable<ITheoryDataRow> Rows => ScenarioRows.For(1);
    [Theory(SkipTestWithoutData = true), MemberData(nameof(Rows))] public Task Scenario(string id) => RunScenarioAsync(id);
}

public sealed class Scenarios2 : ScenarioTestBase
{
    public static IEnumerable<ITheoryDataRow> Rows => ScenarioRows.For(2);
    [Theory(SkipTestWithoutData = true), MemberData(nameof(Rows))] public Task Scenario(string id) => RunScenarioAsync(id);
}

public sealed class Scenarios3 : ScenarioTestBase
{
    public static IEnumerable<ITheoryDataRow> Rows => ScenarioRows.For(3);
    [Theory(SkipTestWithoutData = true), MemberData(nameof(Rows))] public Task Scenario(string id) => RunScenarioAsync(id);
}

public sealed class Scenarios4 : ScenarioTestBase
{
    public static IEnumerable<ITheoryDataRow> Rows => ScenarioRows.For(4);
    [Theory(SkipTestWithoutData = true), MemberData(nameof(Rows))] public Task Scenario(string id) => RunScenarioAsync(id);
}

public sealed class Scenarios5 : ScenarioTestBase
{
    public static IEnumerable<ITheoryDataRow> Rows => ScenarioRows.For(5);
    [Theory(SkipTestWithoutData = true), MemberData(nameof(Rows))] public Task Scenario(string id) => RunScenarioAsync(id);
}

public sealed class Scenarios6 : ScenarioTestBase
{
    public static IEnumerable<ITheoryDataRow> Rows => ScenarioRows.For(6);
    [Theory(SkipTestWithoutData = true), MemberData(nameof(Rows))] public Task Scenario(string id) => RunScenarioAsync(id);
}

public sealed class Scenarios7 : ScenarioTestBase
{
    public static IEnumerable<ITheoryDataRow> Rows => ScenarioRows.For(7);
    [Theory(SkipTestWithoutData = true), MemberData(nameof(Rows))] public Task Scenario(string id) => RunScenarioAsync(id);
}

public sealed class Scenarios8 : ScenarioTestBase
{
    public static IEnumerable<ITheoryDataRow> Rows => ScenarioRows.For(8);
    [Theory(SkipTestWithoutData = true), MemberData(nameof(Rows))] public Task Scenario(string id) => RunScenarioAsync(id);
}

public sealed class Scenarios9 : ScenarioTestBase
{
    public static IEnumerable<ITheoryDataRow> Rows => ScenarioRows.For(9);
    [Theory(SkipTestWithoutData = true), MemberData(nameof(Rows))] public Task Scenario(string id) => RunScenarioAsync(id);
}

public sealed class Scenarios10 : ScenarioTestBase
{
    public static IEnumerable<ITheoryDataRow> Rows => ScenarioRows.For(10);
    [Theory(SkipTestWithoutData = true), MemberData(nameof(Rows))] public Task Scenario(string id) => RunScenarioAsync(id);
}

public sealed class Scenarios11 : ScenarioTestBase
{
    public static IEnumerable<ITheoryDataRow> Rows => ScenarioRows.For(11);
    [Theory(SkipTestWithoutData = true), MemberData(nameof(Rows))] public Task Scenario(string id) => RunScenarioAsync(id);
}
