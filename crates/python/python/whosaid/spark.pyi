from typing import Any

SCHEMA: str

def attribute(df: Any, text_col: str = ..., id_col: str = ..., batch_size: int = ..., **pipeline_options: Any) -> Any: ...
