"""Answers that are not facts: greetings, and abstentions that say what the index does hold."""
from __future__ import annotations

import re

from assistant.answer_types import Answer
from assistant.answers.drafting import jurisdiction
from assistant.understanding import Question


def held(docs: dict[str, dict]) -> tuple[list[str], str]:
    """(jurisdictions the documents speak for, their span of years) of the index."""
    names = list(dict.fromkeys(j for j in (jurisdiction(d) for d in sorted(docs.values(), key=lambda d: d["doc_id"])) if j))
    years = sorted({int(y) for d in docs.values() for y in re.findall(r"20\d\d", f"{d.get('title')} {d.get('issued')}")})
    return names, (f"{years[0]}–{years[-1]}" if years else "")


def coverage_note(docs: dict[str, dict], language: str, example: str = "") -> str:
    names, span = held(docs)
    if language == "en":
        out = f"The documents I hold are from {', '.join(names)}" + (f" (years {span})" if span else "") + "."
        return out + (f" Try naming the place or document and the topic, e.g. \"{example}\"" if example else "")
    out = f"Các văn bản hiện có là của: {', '.join(names)}" + (f" (giai đoạn {span})" if span else "") + "."
    return out + (f" Bạn có thể hỏi lại, nêu rõ địa phương hoặc văn bản và nội dung, ví dụ: \"{example}\"" if example else "")


def abstain(q: Question, docs: dict[str, dict], reason: str, intent: str | None = None, example: str = "",
            missing: str = "") -> Answer:
    if q.language == "en":
        msgs = {
            "province": f"I have no document of {', '.join(q.provinces)}, so I cannot answer this.",
            "year": f"The documents I hold do not cover {', '.join(map(str, q.years))}.",
            "evidence": "I could not find this in the documents I hold.",
            "document": f"I do not hold {missing}, so I cannot answer from it.",
        }
    else:
        msgs = {
            "province": f"Tôi chưa có văn bản nào của {', '.join(q.provinces)} nên không thể trả lời câu hỏi này.",
            "year": f"Các văn bản hiện có không đề cập đến năm {', '.join(map(str, q.years))}.",
            "evidence": "Tôi không tìm thấy thông tin này trong các văn bản hiện có.",
            "document": f"Tôi chưa có văn bản {missing} nên không thể trả lời theo văn bản đó.",
        }
    return Answer(question=q.text, answer=f"{msgs[reason]} {coverage_note(docs, q.language, example)}", abstained=True,
                  language=q.language, intent=intent or q.intent)


def greeting(q: Question, docs: dict[str, dict], example: str = "") -> Answer:
    if q.language == "en":
        text = ("Hello! I answer questions about digital-transformation plans: who leads a task, targets and "
                "deadlines, what an agency must do, with the source quoted. " + coverage_note(docs, "en", example))
    else:
        text = ("Xin chào! Tôi trả lời câu hỏi về các kế hoạch, văn bản chuyển đổi số: cơ quan chủ trì, chỉ tiêu, "
                "thời hạn, nhiệm vụ của từng cơ quan, kèm trích dẫn nguồn. " + coverage_note(docs, "vi", example))
    return Answer(question=q.text, answer=text, abstained=False, language=q.language, intent="greeting")
