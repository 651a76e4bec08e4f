"""The `Flink` sqlglot dialect: Flink's tokenizer, parser and generator under one name."""

from __future__ import annotations

from sqlglot.dialects.dialect import Dialect, NormalizationStrategy

from planner.dialect.generator import FlinkGenerator
from planner.dialect.parser import FlinkParser
from planner.dialect.tokenizer import FlinkTokenizer


class Flink(Dialect):
    """Apache Flink SQL (1.18 to 2.x). Registered under the name "flink" when this module is imported."""

    # Flink never folds identifier case: `Orders` and `orders` are different tables.
    NORMALIZATION_STRATEGY = NormalizationStrategy.CASE_SENSITIVE
    # `FOR SYSTEM_TIME AS OF ts` comes between the table name and its alias.
    ALIAS_POST_VERSION = True
    # JSON_VALUE(.. DEFAULT x ON EMPTY NULL ON ERROR): the EMPTY clause comes first.
    ON_CONDITION_EMPTY_BEFORE_ERROR = True
    # `/` keeps the operand types' semantics; the planner decides from the types.
    TYPED_DIVISION = True
    SAFE_DIVISION = False
    INDEX_OFFSET = 1
    NULL_ORDERING = "nulls_are_small"

    Tokenizer = FlinkTokenizer
    Parser = FlinkParser
    Generator = FlinkGenerator
