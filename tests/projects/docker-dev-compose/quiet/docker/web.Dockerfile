FROM python:3.13-slim
WORKDIR /app
COPY . .
USER app
CMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]
