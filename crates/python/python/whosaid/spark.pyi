from typing import Any, Optional

SCHEMA: str

def attribute(df: Any, text_col: str = ..., id_col: Optional[str] = ..., batch_size: int = ..., **pipeline_options: Any) -> Any: ...
