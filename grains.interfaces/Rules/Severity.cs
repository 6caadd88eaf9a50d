namespace BeTrace.Grains.Interfaces.Rules;

public enum Severity
{
    Low = 0,
    Medium = 1,
    High = 2,
    Critical = 3,
}
