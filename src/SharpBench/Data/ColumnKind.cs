namespace SharpBench.Data;

/// <summary>The abstract storage of a value; each SQL dialect maps it to its own column type.</summary>
public enum ColumnKind
{
    Varchar,
    Text,
    LongText,
    Int,
    BigInt,
    Check,
    Decimal,
    Rating,
    Date,
    Datetime,
    Time,
    Json,
}
