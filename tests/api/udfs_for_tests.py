"""Python functions referenced by `CREATE FUNCTION ... AS 'udfs_for_tests.<name>' LANGUAGE PYTHON` in tests."""

from engine import DataTypes, udf


@udf(result_type=DataTypes.BIGINT())
def add_one(x):
    return None if x is None else x + 1


@udf(result_type="STRING", func_type="pandas")
def shout(s):
    return s.str.upper() + "!"


def not_a_udf(x):
    return x
