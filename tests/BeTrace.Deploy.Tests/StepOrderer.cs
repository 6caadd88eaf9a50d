using Xunit.Abstractions;
using Xunit.Sdk;

namespace BeTrace.Deploy.Tests;

/// <summary>The position of a test in a class whose tests are steps through one shared cluster's life.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class StepAttribute(int order) : Attribute
{
    public int Order { get; } = order;
}

/// <summary>Runs the tests of a class in the order of their <see cref="StepAttribute"/>.</summary>
public sealed class StepOrderer : ITestCaseOrderer
{
    public const string TypeName = "BeTrace.Deploy.Tests.StepOrderer";
    public const string AssemblyName = "BeTrace.Deploy.Tests";

    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases) where TTestCase : ITestCase =>
        testCases.OrderBy(testCase => Order(testCase));

    private static int Order(ITestCase testCase) =>
        testCase.TestMethod.Method.GetCustomAttributes(typeof(StepAttribute).AssemblyQualifiedName)
            .Select(attribute => attribute.GetConstructorArguments().OfType<int>().First())
            .DefaultIfEmpty(int.MaxValue)
            .First();
}
